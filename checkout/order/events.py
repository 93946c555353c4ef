"""Webhook events of orders (ADR 0048): the small, stable payload apps receive, published through
`eventhooks.services.webhook_event_publish` inside the transaction that makes the change.

Published by the one service where each thing happens: `order.created` by
`checkout.checkout.services.checkout_place_order`; `order.paid`, `order.cancelled` and `order.shipped`
by `services.order_status_set` (the one way an order's status changes, whoever asks: a payment, the
unpaid-order expiry, the customer, staff); `order.refunded` by `checkout.payment.services.order_refund`,
once per refund.

Payload (`data`): `number`, `status`, `currency`, `total` and `shipping` in the API's money object
(`apibase.money.Money.as_api()`: {"currency", "excl_tax", "incl_tax"}), `placed_at` (ISO 8601 UTC),
`customer` ({"id": user id or null, "guest": bool}; no personal data: apps read it through the API),
`lines` ([{"id", "product_id", "upc", "title", "quantity"}]) and, per event, `shipping_events` or
`refund`.
"""

from __future__ import annotations

from collections.abc import Callable

from apibase.money import Money, money_text
from eventhooks.selectors import webhook_event_subscribed
from eventhooks.services import webhook_event_publish


def order_webhook_data(*, order) -> dict:
    return {
        "number": str(order.number),
        "status": order.status,
        "currency": order.currency,
        "total": Money(order.currency, order.total_excl_tax, order.total_incl_tax).as_api(),
        "shipping": Money(order.currency, order.shipping_excl_tax, order.shipping_incl_tax).as_api(),
        "placed_at": order.date_placed.isoformat() if order.date_placed else None,
        "customer": {"id": order.user_id, "guest": order.user_id is None},
        "lines": [
            {
                "id": line.pk,
                "product_id": line.product_id,
                "upc": line.upc or "",
                "title": line.title,
                "quantity": line.quantity,
            }  # fmt: skip
            for line in order.lines.order_by("pk")
        ],
    }


def order_event_publish(*, order, event: str, extra: dict | Callable[[], dict] | None = None) -> None:
    """Publish `event` about `order` to the subscribed apps. Call inside the change's transaction. With
    no subscriber the payload is not even built (no queries for the lines)."""
    if not webhook_event_subscribed(event=event):
        return
    if callable(extra):
        extra = extra()
    webhook_event_publish(event=event, data={**order_webhook_data(order=order), **(extra or {})})


def order_shipping_events_data(*, order) -> dict:
    events = order.shipping_events.order_by("pk")
    return {
        "shipping_events": [
            {"carrier": e.carrier, "tracking_number": e.tracking_number, "date": e.date_created.isoformat()}
            for e in events
        ]
    }


def order_refund_data(*, order, payment_event, quantities: dict, reason: str) -> dict:
    return {
        "refund": {
            "id": payment_event.pk,
            "amount": {"amount": money_text(payment_event.amount), "currency": order.currency},
            "lines": [{"line_id": line.pk, "quantity": quantity} for line, quantity in quantities.items()],
            "reason": reason,
        }
    }
