"""Writes of the webhooks app: publish an event, manage endpoints, resend a delivery. Keyword-only,
typed, named <entity>_<action> (ADR 0048). Attempting a delivery is `delivery.py`'s, run by the
outbox's kick and the periodic retry (`handlers.py`, `tasks.py`); nothing here sends.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sideeffects.services import outbox_message_add

from .errors import WebhookError, WebhookOutsideTransaction
from .events import EVENT_TYPES
from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from .safety import webhook_url_check
from .selectors import webhook_endpoints_subscribed
from .signing import secret_generate

DELIVER_TOPIC = "eventhooks.deliver"


def _deliver_after_commit(*, delivery: WebhookDelivery) -> None:
    """The kick: an outbox message that attempts the delivery once the transaction commits (ADR 0024)."""
    outbox_message_add(topic=DELIVER_TOPIC, payload={"delivery_id": delivery.pk})


def webhook_event_publish(*, event: str, data: dict, occurred_at=None) -> WebhookEvent | None:
    """Tell the apps subscribed to `event` (one of `events.EVENT_TYPES`) that it happened.

    Call inside the transaction.atomic() block that makes the change (else WebhookOutsideTransaction):
    it writes one `WebhookEvent` (a unique `evt_...` id) and one pending `WebhookDelivery` per enabled
    endpoint subscribed to `event`, and an outbox message per delivery, so nothing leaves before commit
    and a rollback sends nothing. `data` is small, plain JSON (strings, numbers, lists, dicts; money as
    strings) and becomes the body's `data`. Returns the event, or None when no endpoint subscribes (then
    nothing is written).
    """
    if event not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event {event!r}")
    if not transaction.get_connection().in_atomic_block:
        raise WebhookOutsideTransaction(f"webhook event {event!r} published outside transaction.atomic()")
    json.dumps(data, allow_nan=False)  # plain JSON only: a Decimal or a date raises TypeError here, not later
    endpoints = webhook_endpoints_subscribed(event=event)
    if not endpoints:
        return None
    created_at = occurred_at or timezone.now()
    webhook_event = WebhookEvent.objects.create(
        event_id=f"evt_{uuid.uuid4().hex}", type=event, data=data, created_at=created_at
    )
    retry_until = created_at + timedelta(hours=settings.WEBHOOK_RETRY_HOURS)
    for endpoint in endpoints:
        delivery = WebhookDelivery.objects.create(
            event=webhook_event, endpoint=endpoint, next_attempt_at=created_at, retry_until=retry_until
        )
        _deliver_after_commit(delivery=delivery)
    return webhook_event


def _events_check(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown:
        raise WebhookError(f"Unknown events: {', '.join(unknown)}.")
    if not events:
        raise WebhookError("Choose at least one event.")
    return [name for name in EVENT_TYPES if name in events]


def webhook_endpoint_create(
    *, url: str, events: list[str], description: str = "", contact_email: str = "", enabled: bool = True, by=None
) -> WebhookEndpoint:
    """Subscribe `url` to `events` with a new secret. Raises `safety.WebhookUrlRefused` for a URL that
    may not receive webhooks (not https, a private address) and `WebhookError` for unknown events."""
    webhook_url_check(url=url)
    return WebhookEndpoint.objects.create(
        url=url,
        events=_events_check(events),
        description=description,
        contact_email=contact_email,
        enabled=enabled,
        secret=secret_generate(),
        created_by=by if by is not None and by.is_authenticated else None,
    )


def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, url: str, events: list[str], description: str, contact_email: str, enabled: bool
) -> WebhookEndpoint:
    """Change an endpoint. Enabling a disabled endpoint starts it afresh (no failures counted)."""
    webhook_url_check(url=url)
    events = _events_check(events)
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        fields = {"url": url, "events": events, "description": description, "contact_email": contact_email}
        if enabled and not locked.enabled:
            fields.update(consecutive_failures=0, failing_since=None, disabled_at=None, disabled_reason="")
        fields["enabled"] = enabled
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(fields))
    return locked


def webhook_endpoint_secret_rotate(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Give the endpoint a new secret. The current one keeps signing deliveries, as a second `v1=`, for
    `WEBHOOK_SECRET_ROTATION_HOURS`, so the app can switch without missing a delivery. Rotating again
    within that time drops the oldest secret at once."""
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        locked.previous_secret = locked.secret
        locked.previous_secret_expires_at = timezone.now() + timedelta(hours=settings.WEBHOOK_SECRET_ROTATION_HOURS)
        locked.secret = secret_generate()
        locked.save(update_fields=["previous_secret", "previous_secret_expires_at", "secret"])
    return locked


def webhook_delivery_resend(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Staff: send the delivery again now (once more if it had ended; sooner if it is waiting for its
    next try). The same event id, so the app can tell it already has it. Raises `WebhookError` when the
    endpoint is disabled."""
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
        if not locked.endpoint.enabled:
            raise WebhookError("The endpoint is disabled: enable it before resending.")
        now = timezone.now()
        locked.status = WebhookDelivery.Status.PENDING
        locked.next_attempt_at = now
        locked.retry_until = max(locked.retry_until, now)
        locked.save(update_fields=["status", "next_attempt_at", "retry_until"])
        _deliver_after_commit(delivery=locked)
    return locked


def webhook_events_purge(*, older_than_days: int) -> int:
    """Delete events (with their deliveries and attempts) older than `older_than_days` days (at least 2,
    past the retry window) whose deliveries have all ended; returns how many events. Pending deliveries
    are never touched."""
    if older_than_days < 2:
        raise ValueError("older_than_days must be at least 2")
    cutoff = timezone.now() - timedelta(days=older_than_days)
    old = WebhookEvent.objects.filter(created_at__lt=cutoff).exclude(deliveries__status=WebhookDelivery.Status.PENDING)
    deleted = 0
    for event_ids in _chunks(list(old.values_list("pk", flat=True)), 500):
        WebhookEvent.objects.filter(pk__in=event_ids).delete()
        deleted += len(event_ids)
    return deleted


def _chunks(ids: list[int], size: int):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
