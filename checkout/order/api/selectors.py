"""Reads for the orders API: a customer's own orders, and a guest's order by number and email.

A customer only ever reaches their own orders; anything else is "not found" (never "forbidden"), so
order numbers cannot be probed.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from oscar.core.loading import get_model

from checkout.order.statuses import customer_can_cancel

Order = get_model("order", "Order")
ShippingEvent = get_model("order", "ShippingEvent")
OrderStatusChange = get_model("order", "OrderStatusChange")


def order_detail_queryset() -> QuerySet:
    return Order.objects.select_related(
        "shipping_address__country", "billing_address__country", "user"
    ).prefetch_related(
        "lines__order",
        "discounts",
        Prefetch("status_changes", queryset=OrderStatusChange.objects.order_by("date_created", "pk")),
        "sources__source_type",
        Prefetch(
            "shipping_events",
            queryset=ShippingEvent.objects.select_related("event_type")
            .prefetch_related("line_quantities")
            .order_by("date_created"),
        ),
    )


def orders_of_customer(*, user) -> QuerySet:
    return Order.objects.filter(user=user).prefetch_related("lines").order_by("-date_placed", "-pk")


def order_of_customer(*, user, number: str):
    return order_detail_queryset().filter(user=user, number=number).first()


def order_of_guest(*, number: str, email: str):
    """A guest order (placed without an account) by its number and the email given at checkout."""
    return order_detail_queryset().filter(user__isnull=True, number=number, guest_email__iexact=email.strip()).first()


def order_customer_can_cancel(*, order) -> bool:
    return customer_can_cancel(order.status)
