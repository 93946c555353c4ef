"""Reads of the webhooks app (ADR 0048)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import WebhookDelivery, WebhookEndpoint


def webhook_endpoints_subscribed(*, event: str) -> list[WebhookEndpoint]:
    """The enabled endpoints that subscribe to `event`. Filtered in Python: a shop has a handful of
    endpoints, and JSON containment is not portable to SQLite."""
    return [
        endpoint for endpoint in WebhookEndpoint.objects.filter(enabled=True).order_by("pk") if event in endpoint.events
    ]


def webhook_event_subscribed(*, event: str) -> bool:
    """True if an enabled endpoint wants `event`: callers skip building a payload nobody receives."""
    return bool(webhook_endpoints_subscribed(event=event))


def webhook_delivery_ids_due(*, now, limit: int) -> list[int]:
    """Pending deliveries whose next try is due, oldest first, to enabled endpoints."""
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now, endpoint__enabled=True
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def webhook_deliveries_of(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return endpoint.deliveries.select_related("event").order_by("-created_at", "-pk")
