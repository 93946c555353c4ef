"""Side reactions to Oscar's order signals (emails and analytics counters only, never the order flow)."""

from django.db import transaction
from django.dispatch import receiver
from oscar.apps.analytics import receivers as oscar_analytics
from oscar.apps.order.signals import order_placed
from oscar.core.loading import get_model

from .analytics import order_customer_record, order_products_record
from .notifications import order_notifications_add

Order = get_model("order", "Order")

# Oscar's analytics receiver writes one product record per order line; ours writes them together.
order_placed.disconnect(oscar_analytics.receive_order_placed)


@receiver(order_placed, dispatch_uid="hypex-order-confirmation")
def order_placed_confirm(sender, order, **kwargs):
    # Oscar sends order_placed inside the checkout's transaction: the confirmation is written with the
    # order (ADR 0024). atomic() joins that transaction without a savepoint; it only opens one for
    # callers that have none.
    has_phone = None  # looked up, unless the order's customer is already known (placement sets it)
    if order.user_id is None:
        has_phone = False
    elif Order.user.is_cached(order):
        has_phone = bool(order.user.phone)
    with transaction.atomic(savepoint=False):
        order_notifications_add(order_id=order.pk, kind="confirmation", has_phone=has_phone)


@receiver(order_placed, dispatch_uid="hypex-order-analytics")
def order_placed_analytics(sender, order, user=None, **kwargs):
    if kwargs.get("raw", False):
        return
    order_products_record(order=order)
    if user is not None and user.is_authenticated:
        order_customer_record(order=order, user=user)
