"""Side reactions to Oscar's order signals (emails only, never the order flow)."""

from django.db import transaction
from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from .notifications import order_notifications_add


@receiver(order_placed, dispatch_uid="hypex-order-confirmation")
def order_placed_confirm(sender, order, **kwargs):
    # Oscar sends order_placed inside the checkout's transaction: the confirmation is written with the
    # order (ADR 0024). atomic() joins that transaction; it only opens one for callers that have none.
    with transaction.atomic():
        order_notifications_add(order_id=order.pk, kind="confirmation")
