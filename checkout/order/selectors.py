"""Reads on orders."""

from __future__ import annotations

from datetime import datetime

from oscar.core.loading import get_model

from .services import PENDING_PAYMENT

Order = get_model("order", "Order")
ShippingEvent = get_model("order", "ShippingEvent")


def order_ids_unpaid_before(*, cutoff: datetime, limit: int = 500) -> list[int]:
    """Orders still waiting for payment that were placed before `cutoff`, oldest first."""
    return list(
        Order.objects.filter(status=PENDING_PAYMENT, date_placed__lt=cutoff)
        .order_by("date_placed")
        .values_list("pk", flat=True)[:limit]
    )


def order_shipping_events(*, order) -> list:
    """The order's shipping events as the customer sees them, oldest first."""
    return list(ShippingEvent.objects.filter(order=order).select_related("event_type").order_by("date_created"))


def order_status_history(*, order) -> list:
    """The status timeline, oldest first, with who made each change."""
    return list(order.status_changes.select_related("changed_by").order_by("date_created", "pk"))
