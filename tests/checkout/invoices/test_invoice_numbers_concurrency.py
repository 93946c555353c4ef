"""Gap-free numbers under concurrency, on PostgreSQL with real threads (each its own connection): payments
and refunds of different orders at the same moment take consecutive numbers, and a payment whose
transaction rolls back gives its number back before anyone else can take the next one."""

from __future__ import annotations

from django.db import connections, transaction
from django.utils import timezone
from oscar.core.loading import get_model

from checkout.invoices.models import Document, DocumentKind, DocumentSequence
from checkout.order.services import order_status_set
from checkout.order.statuses import PAID
from checkout.payment.gateways import gateway_get
from checkout.payment.models import PaymentAttempt
from checkout.payment.services import order_refund, payment_confirm
from tests.checkout.concurrency import (
    CONCURRENCY_MARKS,
    all_at_once,
    postgres_only,  # noqa: F401 - the fixture CONCURRENCY_MARKS uses
)
from tests.checkout.lifecycle import order_pay, order_place

Order = get_model("order", "Order")
pytestmark = CONCURRENCY_MARKS


def _confirm(attempt_id: int, *, barrier):
    try:
        barrier.wait(timeout=30)
        attempt = PaymentAttempt.objects.get(pk=attempt_id)
        return payment_confirm(attempt=attempt, amount=attempt.amount, currency=attempt.currency)
    finally:
        connections.close_all()


def _pay_or_roll_back(order_id: int, fail: bool, *, barrier):
    try:
        barrier.wait(timeout=30)
        with transaction.atomic():
            order_status_set(order=Order.objects.get(pk=order_id), status=PAID)
            if fail:
                raise RuntimeError("the payment's transaction fails after the invoice was numbered")
        return "paid"
    except RuntimeError:
        return "rolled back"
    finally:
        connections.close_all()


def _refund(order_id: int, *, barrier):
    try:
        barrier.wait(timeout=30)
        return order_refund(order=Order.objects.get(pk=order_id)).pk
    finally:
        connections.close_all()


def _sequences(kind: str) -> list[int]:
    return sorted(Document.objects.filter(kind=kind).values_list("sequence", flat=True))


def test_payments_at_the_same_moment_take_consecutive_invoice_numbers(user):
    orders = [order_place(user=user) for _ in range(8)]
    attempts = [
        PaymentAttempt.objects.get(token=gateway_get("dummy").payment_start(order=o, request=None).attempt_token)
        for o in orders
    ]

    outcomes = all_at_once(_confirm, [(attempt.pk,) for attempt in attempts])

    assert outcomes == ["paid"] * 8
    assert _sequences(DocumentKind.INVOICE) == list(range(1, 9))
    assert Document.objects.filter(order__in=orders).values("order").distinct().count() == 8
    year = timezone.localdate().year
    assert DocumentSequence.objects.get(kind=DocumentKind.INVOICE, year=year).last == 8


def test_rolled_back_payments_leave_no_gap(user):
    orders = [order_place(user=user) for _ in range(8)]

    outcomes = all_at_once(_pay_or_roll_back, [(o.pk, index % 2 == 0) for index, o in enumerate(orders)])

    assert sorted(outcomes) == ["paid"] * 4 + ["rolled back"] * 4
    assert _sequences(DocumentKind.INVOICE) == [1, 2, 3, 4]
    assert DocumentSequence.objects.get(kind=DocumentKind.INVOICE).last == 4


def test_refunds_at_the_same_moment_take_consecutive_credit_note_numbers(user):
    orders = [order_place(user=user) for _ in range(6)]
    for placed in orders:
        order_pay(placed)

    refunds = all_at_once(_refund, [(o.pk,) for o in orders])

    assert len(set(refunds)) == 6
    assert _sequences(DocumentKind.CREDIT_NOTE) == list(range(1, 7))
    assert Document.objects.filter(kind=DocumentKind.CREDIT_NOTE, refund_id__in=refunds).count() == 6
