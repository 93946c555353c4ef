"""The invoices API: an order's invoice and credit notes, and each as a PDF, for the signed-in owner only
(404 for anyone else's, 401 signed out); errors in the one format, JSON even when a PDF was asked for."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from checkout.invoices.models import Document, DocumentKind
from checkout.payment.services import order_refund
from tests.api_errors import assert_api_error
from tests.checkout.invoices.pdf_text import pdf_text
from tests.conftest import auth_header

pytestmark = pytest.mark.usefixtures("dummy_payments")


def test_the_customer_lists_the_invoice_and_credit_notes_of_their_order(api_client, user, taxed_paid_order):
    refund = order_refund(order=taxed_paid_order, lines={taxed_paid_order.lines.get().pk: 1})
    invoice = Document.objects.get(order=taxed_paid_order, kind=DocumentKind.INVOICE)
    note = Document.objects.get(refund=refund)

    response = api_client.get(f"/api/v1/orders/{taxed_paid_order.number}/invoices/", **auth_header(user))

    assert response.status_code == 200
    body = response.json()
    assert [(d["number"], d["kind"], d["credits_invoice"]) for d in body] == [
        (invoice.number, "invoice", None),
        (note.number, "credit_note", invoice.number),
    ]
    assert body[0]["order"] == taxed_paid_order.number
    assert body[0]["total"] == {"currency": "GBP", "excl_tax": "59.95", "incl_tax": "71.94"}
    assert body[0]["tax"] == "11.99"
    assert body[1]["total"] == {"currency": "GBP", "excl_tax": "25.00", "incl_tax": "30.00"}
    assert body[0]["pdf"] == f"http://testserver/api/v1/invoices/{invoice.number}/pdf/"


def test_the_customer_downloads_a_pdf(api_client, user, taxed_paid_order):
    invoice = Document.objects.get(order=taxed_paid_order)

    response = api_client.get(
        f"/api/v1/invoices/{invoice.number}/pdf/", HTTP_ACCEPT="application/pdf", **auth_header(user)
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="invoice-{invoice.number}.pdf"'
    text = pdf_text(response.content)
    assert f"Invoice {invoice.number}" in text and "Grand total: £71.94" in text


def test_other_customers_get_404_and_strangers_401(api_client, other_user, taxed_paid_order, guest_paid_order):
    invoice = Document.objects.get(order=taxed_paid_order)
    guest_invoice = Document.objects.get(order=guest_paid_order)
    other = auth_header(other_user)

    assert_api_error(api_client.get(f"/api/v1/orders/{taxed_paid_order.number}/invoices/", **other), 404, "not_found")
    assert_api_error(api_client.get(f"/api/v1/invoices/{invoice.number}/pdf/", **other), 404, "not_found")
    # a guest order's documents are not anyone's through the API
    assert_api_error(api_client.get(f"/api/v1/invoices/{guest_invoice.number}/pdf/", **other), 404, "not_found")
    assert_api_error(api_client.get("/api/v1/orders/no-such-order/invoices/", **other), 404, "not_found")
    assert_api_error(APIClient().get(f"/api/v1/invoices/{invoice.number}/pdf/"), 401)
    assert_api_error(APIClient().get(f"/api/v1/orders/{taxed_paid_order.number}/invoices/"), 401)


def test_an_error_is_json_even_when_a_pdf_was_asked_for(api_client, other_user, taxed_paid_order):
    invoice = Document.objects.get(order=taxed_paid_order)

    response = api_client.get(
        f"/api/v1/invoices/{invoice.number}/pdf/", HTTP_ACCEPT="application/pdf", **auth_header(other_user)
    )

    assert_api_error(response, 404, "not_found")


def test_an_unpaid_order_lists_no_documents(api_client, user, order):
    response = api_client.get(f"/api/v1/orders/{order.number}/invoices/", **auth_header(user))

    assert response.status_code == 200 and response.json() == []


def test_hostile_numbers_are_404_or_400_never_500(api_client, user, taxed_paid_order):
    headers = auth_header(user)
    for number in ["x" * 5000, "2026-000001'--", "%00", "..%2F..%2Fetc"]:
        response = api_client.get(f"/api/v1/invoices/{number}/pdf/", **headers)
        assert response.status_code in (400, 404), (number, response.status_code)
    assert Document.objects.filter(order=taxed_paid_order).count() == 1
