"""Cancelling an order releases its allocation (Oscar's queryset update, which sends `post_save` itself):
the back-in-stock check runs at commit, so who waits for the last units is told at once (ADR 46)."""

from oscar.core.loading import get_model

from catalogue.partner.stock_transitions import STOCK_BACK_IN_STOCK_TOPIC, stock_transitions_detect
from checkout.order.services import order_cancel
from tests.checkout.lifecycle import order_place

OutboxMessage = get_model("sideeffects", "OutboxMessage")


def test_cancelling_the_order_of_the_last_units_reports_them_back_in_stock(user, django_capture_on_commit_callbacks):
    order = order_place(user=user, quantity=2, num_in_stock=2)  # every unit allocated: sold out
    stock_transitions_detect()
    line = order.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, reason="changed my mind")
    messages = OutboxMessage.objects.filter(topic=STOCK_BACK_IN_STOCK_TOPIC)
    assert [m.payload for m in messages] == [{"product_id": line.product_id, "stockrecord_id": line.stockrecord_id}]
