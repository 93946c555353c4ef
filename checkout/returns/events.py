"""Webhook events of returns (ADR 0048): `return.requested`, published by
`services.return_request_create` (the one place a request is made) inside its transaction.

Payload (`data`): `id`, `status`, `order` (the order's number), `currency`, `created_at` (ISO 8601 UTC),
`customer` ({"id": user id or null, "guest": bool}; no personal data) and `lines`
([{"id", "order_line_id", "product_id", "upc", "title", "quantity", "reason"}]).
"""

from __future__ import annotations

from eventhooks.events import RETURN_REQUESTED
from eventhooks.selectors import webhook_event_subscribed
from eventhooks.services import webhook_event_publish


def return_webhook_data(*, return_request, lines) -> dict:
    order = return_request.order
    return {
        "id": return_request.pk,
        "status": return_request.status,
        "order": str(order.number),
        "currency": return_request.currency,
        "created_at": return_request.created_at.isoformat(),
        "customer": {"id": order.user_id, "guest": order.user_id is None},
        "lines": [
            {
                "id": line.pk,
                "order_line_id": line.order_line_id,
                "product_id": line.order_line.product_id,
                "upc": line.order_line.upc or "",
                "title": line.order_line.title,
                "quantity": line.quantity,
                "reason": line.reason.code,
            }  # fmt: skip
            for line in lines
        ],
    }


def return_requested_publish(*, return_request, lines) -> None:
    """Tell the subscribed apps a return was asked for. Call inside the request's transaction; with no
    subscriber the payload is not built."""
    if webhook_event_subscribed(event=RETURN_REQUESTED):
        webhook_event_publish(
            event=RETURN_REQUESTED, data=return_webhook_data(return_request=return_request, lines=lines)
        )
