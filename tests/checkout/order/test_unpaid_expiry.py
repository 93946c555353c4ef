"""Unpaid orders are cancelled after ORDER_UNPAID_CANCEL_MINUTES; a paid order is never touched."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from checkout.order.services import order_cancel_if_unpaid, order_status_set
from checkout.order.tasks import orders_unpaid_cancel
from checkout.payment import services as payments
from checkout.payment.gateways import gateway_get
from tests.checkout.lifecycle import order_place


def _age(order, minutes: int) -> None:
    type(order).objects.filter(pk=order.pk).update(date_placed=timezone.now() - timedelta(minutes=minutes))


def test_periodic_task_cancels_only_stale_unpaid_orders(db, user, settings):
    settings.ORDER_UNPAID_CANCEL_MINUTES = 30
    stale, fresh, paid = order_place(user=user), order_place(user=user), order_place(user=user)
    for order in (stale, fresh, paid):
        _age(order, 45 if order is not fresh else 10)
    order_status_set(order=paid, status="Paid")

    assert orders_unpaid_cancel.call_local() == 1
    assert orders_unpaid_cancel.call_local() == 0  # safe to run twice

    for order in (stale, fresh, paid):
        order.refresh_from_db()
    assert (stale.status, fresh.status, paid.status) == ("Cancelled", "Pending payment", "Paid")
    assert stale.lines.get().stockrecord.num_allocated == 0
    assert paid.lines.get().stockrecord.num_allocated == 2
    assert stale.status_changes.get(new_status="Cancelled").note == "Not paid in time."


def test_the_delay_is_a_setting(db, user, settings):
    order = order_place(user=user)
    _age(order, 6)
    settings.ORDER_UNPAID_CANCEL_MINUTES = 5

    orders_unpaid_cancel.call_local()

    order.refresh_from_db()
    assert order.status == "Cancelled"


def test_payment_after_expiry_is_recorded_as_late_and_flagged_for_refund(db, user, settings):
    settings.PAYMENT_GATEWAYS = ["dummy"]
    order = order_place(user=user)
    action = gateway_get("dummy").payment_start(order=order, request=None)
    order_cancel_if_unpaid(order_id=order.pk)

    outcome = payments.payment_confirm(attempt=order.payment_attempts.get(), amount="20.00", currency=order.currency)

    order.refresh_from_db()
    assert action.type == "redirect"
    assert outcome == "late"
    assert order.status == "Cancelled"
    assert order.sources.get().amount_debited == 20
    assert "refund it" in order.notes.get().message


def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are proven on PostgreSQL")


def _in_thread(target, results: dict, key: str) -> threading.Thread:
    def run():
        try:
            results[key] = target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_expiry_racing_a_payment_waits_and_leaves_the_paid_order_alone(settings):
    _postgres_only()
    settings.PAYMENT_GATEWAYS = ["dummy"]
    order = order_place()
    gateway_get("dummy").payment_start(order=order, request=None)
    attempt = order.payment_attempts.get()
    paying, release, results = threading.Event(), threading.Event(), {}

    def pay():
        with transaction.atomic():  # the payment holds the order's row lock until it commits
            outcome = payments.payment_confirm(attempt=attempt, amount=attempt.amount, currency=attempt.currency)
            paying.set()
            release.wait(10)
        return outcome

    payer = _in_thread(pay, results, "pay")
    assert paying.wait(10)
    expiry = _in_thread(lambda: order_cancel_if_unpaid(order_id=order.pk), results, "cancel")
    expiry.join(0.5)
    assert expiry.is_alive(), "the expiry must wait for the payment's lock"
    release.set()
    payer.join(10)
    expiry.join(10)

    order.refresh_from_db()
    assert results == {"pay": "paid", "cancel": False}
    assert order.status == "Paid"
    assert order.lines.get().stockrecord.num_allocated == 2
    assert not order.status_changes.filter(new_status="Cancelled").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_payment_racing_the_expiry_waits_and_is_recorded_as_late(settings):
    _postgres_only()
    settings.PAYMENT_GATEWAYS = ["dummy"]
    order = order_place()
    gateway_get("dummy").payment_start(order=order, request=None)
    attempt = order.payment_attempts.get()
    cancelling, release, results = threading.Event(), threading.Event(), {}

    def cancel():
        with transaction.atomic():
            cancelled = order_cancel_if_unpaid(order_id=order.pk)
            cancelling.set()
            release.wait(10)
        return cancelled

    expiry = _in_thread(cancel, results, "cancel")
    assert cancelling.wait(10)
    payer = _in_thread(
        lambda: payments.payment_confirm(attempt=attempt, amount=attempt.amount, currency=attempt.currency),
        results,
        "pay",
    )
    payer.join(0.5)
    assert payer.is_alive(), "the payment must wait for the expiry's lock"
    release.set()
    expiry.join(10)
    payer.join(10)

    order.refresh_from_db()
    assert results == {"cancel": True, "pay": "late"}
    assert order.status == "Cancelled"
    assert order.lines.get().stockrecord.num_allocated == 0
    assert order.notes.filter(message__contains="refund it").exists()


def test_command_runs_the_expiry_where_there_is_no_scheduler(db, user, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.ORDER_UNPAID_CANCEL_MINUTES = 30
    order = order_place(user=user)
    _age(order, 31)
    out = StringIO()

    call_command("orders_cancel_unpaid", stdout=out)

    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert "Cancelled 1 unpaid order(s)." in out.getvalue()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_confirmations_of_one_payment_record_it_once(settings):
    _postgres_only()
    settings.PAYMENT_GATEWAYS = ["dummy"]
    order = order_place()
    gateway_get("dummy").payment_start(order=order, request=None)
    attempt = order.payment_attempts.get()
    start, results = threading.Barrier(4), {}

    def confirm():
        start.wait(10)
        return payments.payment_confirm(attempt=attempt, amount=attempt.amount, currency=attempt.currency)

    threads = [_in_thread(confirm, results, f"t{i}") for i in range(4)]
    for thread in threads:
        thread.join(20)

    order.refresh_from_db()
    assert sorted(results.values()) == ["duplicate", "duplicate", "duplicate", "paid"]
    assert order.payment_events.count() == 1
    assert order.status_changes.filter(new_status="Paid").count() == 1
