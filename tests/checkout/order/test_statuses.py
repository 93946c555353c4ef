"""Order statuses are defined once (checkout/order/statuses.py); Oscar's settings follow them."""

from django.conf import settings

from checkout.order import statuses


def test_oscar_pipeline_is_the_one_defined_in_statuses():
    assert settings.OSCAR_ORDER_STATUS_PIPELINE == statuses.PIPELINE
    assert settings.OSCAR_LINE_STATUS_PIPELINE == statuses.PIPELINE
    assert settings.OSCAR_INITIAL_ORDER_STATUS == statuses.INITIAL == statuses.PENDING_PAYMENT
    assert set(settings.OSCAR_ORDER_STATUS_CASCADE) == set(statuses.PIPELINE)


def test_every_named_group_uses_pipeline_statuses():
    groups = statuses.REVENUE + statuses.SHIPPABLE + statuses.CUSTOMER_CANCELLABLE + statuses.NOT_PURCHASED
    assert set(groups) <= set(statuses.PIPELINE)
    assert all(target in statuses.PIPELINE for targets in statuses.PIPELINE.values() for target in targets)


def test_only_an_order_waiting_for_payment_can_be_paid_or_cancelled_by_its_customer():
    for status in statuses.PIPELINE:
        waiting = status == statuses.PENDING_PAYMENT
        assert statuses.can_be_paid(status) is waiting
        assert statuses.customer_can_cancel(status) is waiting


def test_revenue_is_money_taken_and_kept():
    assert [s for s in statuses.PIPELINE if statuses.counts_as_revenue(s)] == [
        "Paid",
        "Processing",
        "Shipped",
        "Delivered",
    ]
    assert not statuses.counts_as_revenue(statuses.REFUNDED)
    assert not statuses.counts_as_revenue(statuses.CANCELLED)


def test_a_refunded_order_still_made_a_purchase_but_an_unpaid_or_cancelled_one_did_not():
    assert statuses.made_a_purchase(statuses.REFUNDED)
    assert statuses.made_a_purchase(statuses.DELIVERED)
    assert not statuses.made_a_purchase(statuses.PENDING_PAYMENT)
    assert not statuses.made_a_purchase(statuses.CANCELLED)


def test_final_statuses_go_nowhere():
    assert not statuses.can_move(statuses.CANCELLED, statuses.PAID)
    assert not statuses.can_move(statuses.REFUNDED, statuses.PAID)
    assert statuses.can_move(statuses.PENDING_PAYMENT, statuses.PAID)
