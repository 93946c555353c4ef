"""Who downloads an invoice or credit note: the customer from their order page, the guest from the signed
status page, staff who may see the order from its screen in the back office. Anyone else: 404."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from backoffice.roles import MERCHANDISER, SUPPORT_AGENT
from checkout.invoices.models import Document, DocumentKind
from checkout.order.links import order_status_path
from checkout.payment.services import order_refund
from tests.checkout.invoices.pdf_text import pdf_text

pytestmark = pytest.mark.usefixtures("dummy_payments")


def _pdf_url(document) -> str:
    return f"/invoices/{document.number}/pdf/"


def _member(role: str):
    member = get_user_model().objects.create_user(email=f"{role[:5].lower()}@example.com", password="a-long-pass-1")
    member.is_staff = True
    member.save(update_fields=["is_staff"])
    member.groups.add(Group.objects.get(name=role))
    return member


def test_the_customer_downloads_the_invoice_and_credit_note_from_the_order_page(client, user, taxed_paid_order):
    order_refund(order=taxed_paid_order, amount=Decimal("5.00"))
    invoice, note = Document.objects.filter(order=taxed_paid_order).order_by("pk")
    client.force_login(user)

    page = client.get(order_status_path(taxed_paid_order))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Invoices and credit notes" in html
    assert f'href="{_pdf_url(invoice)}"' in html and f'href="{_pdf_url(note)}"' in html
    response = client.get(_pdf_url(invoice))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="invoice-{invoice.number}.pdf"'
    assert f"Invoice {invoice.number}" in pdf_text(response.content)
    credit = client.get(_pdf_url(note))
    assert credit.status_code == 200 and f"Credit note {note.number}" in pdf_text(credit.content)


def test_other_customers_and_strangers_get_404(client, other_user, taxed_paid_order):
    invoice = Document.objects.get(order=taxed_paid_order)

    assert client.get(_pdf_url(invoice)).status_code == 404  # signed out
    assert client.get(_pdf_url(invoice) + "?key=forged").status_code == 404
    client.force_login(other_user)
    assert client.get(_pdf_url(invoice)).status_code == 404
    assert client.get("/invoices/2026-999999/pdf/").status_code == 404
    assert client.post(_pdf_url(invoice)).status_code == 405


def test_a_guest_downloads_through_the_signed_status_link(client, guest_paid_order, taxed_paid_order):
    invoice = Document.objects.get(order=guest_paid_order)
    link = f"{_pdf_url(invoice)}?key={quote(guest_paid_order.verification_hash())}"
    assert client.get(link).status_code == 404  # the key alone: Oscar's status page asks for the email first
    form = client.post(
        order_status_path(guest_paid_order).replace("/order-status/", "/order-status-form/"),
        {"email": "guest@example.com"},
    )
    status_page = client.get(form.url)
    assert status_page.status_code == 200
    assert f'href="{link}"' in status_page.content.decode().replace("&amp;", "&")

    response = client.get(link)

    assert response.status_code == 200 and "Wool Scarf" in pdf_text(response.content)
    # the key opens this guest order's documents only
    other = Document.objects.get(order=taxed_paid_order)
    assert client.get(f"{_pdf_url(other)}?key={quote(guest_paid_order.verification_hash())}").status_code == 404


def test_staff_download_from_the_order_screen(staff_client, taxed_paid_order):
    invoice = Document.objects.get(order=taxed_paid_order, kind=DocumentKind.INVOICE)
    url = f"/admin/order/order/{taxed_paid_order.pk}/documents/{invoice.number}/pdf/"

    screen = staff_client.get(f"/admin/order/order/{taxed_paid_order.pk}/change/")
    response = staff_client.get(url)

    assert screen.status_code == 200 and f'href="{url}"' in screen.content.decode()
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Grand total: £71.94" in pdf_text(response.content)
    assert (
        staff_client.get(f"/admin/order/order/{taxed_paid_order.pk}/documents/CN-2026-000404/pdf/").status_code == 404
    )


def test_the_order_screen_says_when_there_is_no_invoice_yet(staff_client, order):
    screen = staff_client.get(f"/admin/order/order/{order.pk}/change/")

    assert "None yet: the invoice is issued when the order is paid" in screen.content.decode()


def test_only_staff_who_may_see_the_order_download_from_the_back_office(client, taxed_paid_order, user):
    invoice = Document.objects.get(order=taxed_paid_order)
    url = f"/admin/order/order/{taxed_paid_order.pk}/documents/{invoice.number}/pdf/"

    client.force_login(_member(SUPPORT_AGENT))  # sees orders
    assert client.get(url).status_code == 200
    client.force_login(_member(MERCHANDISER))  # does not
    assert client.get(url).status_code == 403
    client.force_login(user)  # a customer: the admin's sign-in page
    assert client.get(url).status_code == 302
