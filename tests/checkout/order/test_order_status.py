"""The order status contract: only pipeline transitions, recorded with who and why; cancel releases."""

from __future__ import annotations

import pytest
from oscar.core.loading import get_model

from checkout.order.errors import OrderStatusError
from checkout.order.services import order_cancel, order_status_set
from tests.checkout.lifecycle import order_place

StockRecord = get_model("partner", "StockRecord")


def test_new_order_waits_for_payment_with_its_stock_allocated(order):
    line = order.lines.get()
    assert order.status == "Pending payment"
    assert line.num_allocated == 2
    assert line.stockrecord.num_allocated == 2


def test_allowed_transition_is_recorded_with_who_and_note(order, staff_user):
    order_status_set(order=order, status="Paid", by=staff_user, note="bank transfer seen")

    order.refresh_from_db()
    change = order.status_changes.get()
    assert order.status == "Paid"
    assert (change.old_status, change.new_status) == ("Pending payment", "Paid")
    assert change.changed_by == staff_user
    assert change.note == "bank transfer seen"
    assert change.date_created is not None
    assert set(order.lines.values_list("status", flat=True)) == {"Paid"}


def test_system_changes_are_recorded_without_a_user(order):
    order_status_set(order=order, status="Paid")

    assert order.status_changes.get().changed_by is None


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "Shipped"),
        ([], "Delivered"),
        ([], "Refunded"),
        ([], "Pending payment"),
        (["Paid", "Processing", "Shipped"], "Cancelled"),
        (["Cancelled"], "Paid"),
        (["Paid", "Refunded"], "Processing"),
        ([], "Lost in space"),
    ],
)
def test_transition_outside_the_pipeline_is_refused_and_changes_nothing(order, path, refused):
    for status in path:
        order_status_set(order=order, status=status)
    changes_before = order.status_changes.count()

    with pytest.raises(OrderStatusError) as error:
        order_status_set(order=order, status=refused)

    order.refresh_from_db()
    assert error.value.get_codes() == "order_status_invalid"
    assert error.value.status_code == 409
    assert order.status == (path[-1] if path else "Pending payment")
    assert order.status_changes.count() == changes_before


def test_whole_pipeline_can_be_walked(order):
    for status in ["Paid", "Processing", "Shipped", "Delivered", "Refunded"]:
        order_status_set(order=order, status=status)

    assert list(order.status_changes.order_by("date_created", "pk").values_list("new_status", flat=True)) == [
        "Paid", "Processing", "Shipped", "Delivered", "Refunded"
    ]  # fmt: skip


def test_cancel_releases_stock_allocation(order, staff_user):
    stockrecord = order.lines.get().stockrecord

    order_cancel(order=order, by=staff_user, reason="customer asked")

    stockrecord.refresh_from_db()
    line = order.lines.get()
    assert order.status == "Cancelled"
    assert stockrecord.num_allocated == 0
    assert stockrecord.num_in_stock == 10
    assert line.allocation_cancelled is True
    change = order.status_changes.get()
    assert (change.new_status, change.changed_by, change.note) == ("Cancelled", staff_user, "customer asked")


def test_cancel_from_a_final_or_shipped_status_is_refused_and_keeps_the_allocation(order):
    for status in ["Paid", "Processing", "Shipped"]:
        order_status_set(order=order, status=status)

    with pytest.raises(OrderStatusError):
        order_cancel(order=order)

    assert order.lines.get().stockrecord.num_allocated == 2


def test_cancelling_twice_is_refused_and_releases_once(order):
    order_cancel(order=order)

    with pytest.raises(OrderStatusError):
        order_cancel(order=order)

    assert order.lines.get().stockrecord.num_allocated == 0


def test_cancel_releases_voucher_usage(db, user):
    from oscar.test.factories import create_voucher

    voucher = create_voucher(code="SAVE5")
    order = order_place(user=user, voucher=voucher)
    voucher.refresh_from_db()
    assert voucher.num_orders == 1 and voucher.applications.count() == 1
    offer = voucher.offers.get()
    assert offer.num_orders == 1

    order_cancel(order=order)

    voucher.refresh_from_db()
    offer.refresh_from_db()
    assert voucher.num_orders == 0
    assert voucher.applications.count() == 0
    assert voucher.total_discount == 0
    assert (offer.num_orders, offer.num_applications) == (0, 0)
