"""Reads on the outbox (ADR 0024)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Min
from django.utils import timezone

from .models import OutboxMessage


def outbox_backlog() -> dict:
    """Counts per status and the age in seconds of the oldest pending message (0 when none): what an
    operator watches. A growing oldest-pending age means deliveries are not happening."""
    counts = dict(OutboxMessage.objects.values_list("status").annotate(n=Count("pk")).order_by())
    oldest = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).aggregate(at=Min("created_at"))["at"]
    age = (timezone.now() - oldest) if oldest else timedelta(0)
    return {
        "pending": counts.get(OutboxMessage.Status.PENDING, 0),
        "failed": counts.get(OutboxMessage.Status.FAILED, 0),
        "delivered": counts.get(OutboxMessage.Status.DELIVERED, 0),
        "oldest_pending_seconds": int(age.total_seconds()),
    }


def outbox_messages_with_errors(*, limit: int = 50) -> list[OutboxMessage]:
    """Messages that need an operator's eye: failed for good (waiting for staff) first, then pending ones
    whose last attempt failed (the relay retries them), oldest first within each."""
    failed = list(OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).order_by("created_at", "pk")[:limit])
    retrying = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exclude(last_error="")
    return failed + list(retrying.order_by("created_at", "pk")[: max(limit - len(failed), 0)])


def outbox_delivered_older_than_count(*, days: int) -> int:
    """How many delivered messages `outbox_delivered_purge(older_than_days=days)` would delete."""
    return OutboxMessage.objects.filter(
        status=OutboxMessage.Status.DELIVERED, delivered_at__lt=timezone.now() - timedelta(days=days)
    ).count()
