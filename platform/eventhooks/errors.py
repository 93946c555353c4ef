"""Errors of the webhooks app (ADR 0048)."""

from __future__ import annotations

from sideeffects.services import OutboxOutsideTransaction


class WebhookError(Exception):
    """A staff action on webhooks that cannot be done; the message says why."""


class WebhookOutsideTransaction(OutboxOutsideTransaction):
    """`webhook_event_publish` was called outside transaction.atomic(): the event would not share the
    fate of the change it reports."""
