"""Side reactions: push a shopper's order status change to their open `ws/orders/` sockets."""

from django.db import transaction
from django.dispatch import receiver
from oscar.apps.order.signals import order_status_changed

from . import events


@receiver(order_status_changed, dispatch_uid="support.push_order_status")
def push_order_status(sender, order, old_status, new_status, **kwargs) -> None:
    if not order.user_id:
        return
    payload = {"number": str(order.number), "old_status": old_status, "status": new_status}
    transaction.on_commit(
        lambda: events.broadcast(events.orders_group(order.user_id), {"type": "order.status", "order": payload})
    )
