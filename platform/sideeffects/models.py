"""The outbox: side effects written in the transaction that causes them, delivered after it (ADR 0024)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One side effect that must happen: `topic` names its handler, `payload` holds primary keys (and
    only what the handler cannot look up again). Delivered at least once; handlers are idempotent.

    Life: pending -> delivered, or pending -> (each failure: attempts + 1, next_attempt_at pushed back)
    -> failed after `OUTBOX_MAX_ATTEMPTS`; staff may put a failed message back to pending (Retry).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    topic = models.CharField(max_length=100)
    payload = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(
        max_length=200, null=True, blank=True, unique=True, help_text=_("At most one message per key.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # W3C trace context of the request that wrote the message (empty while tracing is off): its
    # delivery's span links to it (ADR 0034).
    trace_context = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The relay: pending messages that are due, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["topic", "status"], name="outbox_topic_status"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk} ({self.status})"
