"""Invoice numbers: one per paid order, taken in the payment's transaction from a gap-free sequence per
year that restarts each year; never twice for an order, never reused after a rollback."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from checkout.invoices import services
from checkout.invoices.models import Document, DocumentKind, DocumentSequence
from checkout.invoices.services import invoice_issue
from checkout.order.services import order_status_set
from checkout.order.statuses import PAID
from tests.checkout.lifecycle import order_pay, order_place

pytestmark = pytest.mark.usefixtures("dummy_payments")


def _year_now() -> int:
    return timezone.localdate().year


def test_paying_an_order_issues_its_numbered_invoice(order, django_capture_on_commit_callbacks):
    assert not Document.objects.exists()

    order_pay(order)

    invoice = Document.objects.get(order=order)
    assert invoice.kind == DocumentKind.INVOICE
    assert invoice.number == f"{_year_now()}-000001"
    assert (invoice.year, invoice.sequence) == (_year_now(), 1)
    assert invoice.total_incl_tax == order.total_incl_tax
    assert invoice.content["order"]["number"] == order.number


def test_invoices_are_numbered_one_after_another(db, user):
    orders = [order_place(user=user) for _ in range(3)]

    for order in orders:
        order_pay(order)

    numbers = [Document.objects.get(order=order).number for order in orders]
    year = _year_now()
    assert numbers == [f"{year}-000001", f"{year}-000002", f"{year}-000003"]


def test_the_sequence_restarts_each_year(db, user, monkeypatch):
    first, second, third = (order_place(user=user) for _ in range(3))
    monkeypatch.setattr(services.timezone, "now", lambda: datetime(2026, 12, 31, 23, 59, tzinfo=UTC))
    order_pay(first)
    order_pay(second)
    monkeypatch.setattr(services.timezone, "now", lambda: datetime(2027, 1, 1, 0, 1, tzinfo=UTC))
    order_pay(third)

    assert [Document.objects.get(order=o).number for o in (first, second, third)] == [
        "2026-000001",
        "2026-000002",
        "2027-000001",
    ]
    assert dict(DocumentSequence.objects.filter(kind="invoice").values_list("year", "last")) == {2026: 2, 2027: 1}


def test_issuing_again_returns_the_invoice_already_issued(paid_order):
    invoice = Document.objects.get(order=paid_order)

    again = invoice_issue(order=paid_order)

    assert again.pk == invoice.pk
    assert Document.objects.filter(order=paid_order).count() == 1
    assert DocumentSequence.objects.get(kind="invoice").last == 1


def test_the_database_refuses_a_second_invoice_for_an_order(paid_order):
    invoice = Document.objects.get(order=paid_order)

    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(
            kind=DocumentKind.INVOICE, number="9999-000001", year=9999, sequence=1, order=paid_order,
            issued_at=invoice.issued_at, currency="GBP", total_excl_tax=0, total_tax=0, total_incl_tax=0, content={},
        )  # fmt: skip


def test_a_rolled_back_payment_gives_its_number_back(db, user):
    lost, kept = order_place(user=user), order_place(user=user)

    with pytest.raises(RuntimeError), transaction.atomic():
        order_status_set(order=lost, status=PAID)
        assert Document.objects.get(order=lost).number.endswith("-000001")
        raise RuntimeError("the payment's transaction fails after the invoice was numbered")
    order_pay(kept)

    assert not Document.objects.filter(order=lost).exists()
    assert Document.objects.get(order=kept).number == f"{_year_now()}-000001"


def test_staff_marking_an_order_paid_issue_its_invoice(staff_client, order):
    response = staff_client.post(f"/admin/order/order/{order.pk}/status/", {"status": PAID, "note": "bank transfer"})

    assert response.status_code == 302
    assert Document.objects.get(order=order).number == f"{_year_now()}-000001"


def test_an_unpaid_order_has_no_invoice(order):
    assert not Document.objects.filter(order=order).exists()
