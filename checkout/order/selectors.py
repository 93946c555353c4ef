"""Reads on orders."""

from __future__ import annotations

from datetime import datetime

from oscar.core.loading import get_model

from .statuses import PENDING_PAYMENT
from .tracking import ShippingEventSerializer

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


def _entry(at, kind: str, title: str, by: str = "", detail: str = "") -> dict:
    return {"at": at, "kind": kind, "title": title, "by": by, "detail": detail}


def order_timeline(*, order) -> list[dict]:
    """Everything that happened to the order, oldest first: status changes (who, why), payments and
    refunds, shipping events, notes and messages to the customer. For the back-office timeline."""
    currency = order.currency
    entries = [_entry(order.date_placed, "placed", "Order placed", order.email or "")]
    for change in order.status_changes.select_related("changed_by"):
        who = change.changed_by.email if change.changed_by else "system"
        entries.append(
            _entry(change.date_created, "status", f"{change.old_status} → {change.new_status}", who, change.note)
        )
    for event in order.payment_events.select_related("event_type"):
        title = f"{event.event_type.name} {event.amount} {currency}"
        entries.append(_entry(event.date_created, "payment", title, detail=event.reference))
    for event in order.shipping_events.select_related("event_type", "created_by"):
        title = f"{event.event_type.name}: {event.carrier} {event.tracking_number}"
        who = event.created_by.email if event.created_by else ""
        entries.append(_entry(event.date_created, "shipping", title, who, event.notes))
    for note in order.notes.select_related("user"):
        who = note.user.email if note.user else "system"
        entries.append(_entry(note.date_created, "note", f"Note ({note.note_type})", who, note.message))
    for message in order.notifications.all():
        title = f"{message.get_kind_display()} sent by {message.channel}"
        entries.append(_entry(message.sent_at, "message", title, detail=message.recipient))
    return sorted(entries, key=lambda entry: entry["at"])


def order_for_follower(*, number: str, key: str = "", user=None):
    """The order a visitor may follow live (`ws/orders/?order=<number>&key=<signed key>`), or None.
    The same rule as the order's own pages (`links.order_visible_to`): its signed-in owner, or - for a
    guest's order - whoever brings the order's signed key (`Order.verification_hash()`). None for an order
    that does not exist and for one the visitor may not see alike, so the two cannot be told apart."""
    if not isinstance(number, str) or not number or len(number) > 128 or not number.isprintable():
        return None
    order = Order.objects.filter(number=number).only("pk", "number", "user_id", "status").first()
    if order is None:
        return None
    if order.user_id is not None:
        return order if user is not None and user.is_authenticated and user.pk == order.user_id else None
    return order if key and order.check_verification_hash(key) else None


def order_live_payload(*, order) -> dict:
    """What `ws/orders/` tells a follower about `order`: its number, status and shipping events (the
    fields of the orders API's `shipping_events`)."""
    return {
        "number": str(order.number),
        "status": order.status,
        "shipping_events": ShippingEventSerializer(order_shipping_events(order=order), many=True).data,
    }
