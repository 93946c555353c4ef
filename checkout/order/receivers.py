"""Side reactions to Oscar's order signals (emails only, never the order flow)."""

from django.db import transaction
from django.dispatch import receiver
from oscar.apps.order.signals import order_placed


@receiver(order_placed, dispatch_uid="hypex-order-confirmation")
def order_placed_confirm(sender, order, **kwargs):
    from .tasks import order_notify

    transaction.on_commit(lambda: order_notify(order.pk, "confirmation", ""))
