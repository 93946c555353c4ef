"""Writes on the outbox: add a message inside the transaction that causes it and hand it to the task
queue after commit, retry for staff, purge and dismiss. Keyword-only, typed, named <entity>_<action>
(ADR 0024). Delivering a message is `delivery.py`'s, run by the tasks this module enqueues (ADR 0040).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from opentelemetry.propagate import inject

from .delivery import Outcome, outbox_message_deliver
from .models import OutboxMessage
from .registry import handler_for
from .tasks import outbox_deliver

logger = logging.getLogger("sideeffects")
Status = OutboxMessage.Status


class OutboxOutsideTransaction(RuntimeError):
    """`outbox_message_add` was called outside transaction.atomic(): the message would not share the
    fate of the change that causes it."""


def outbox_message_add(*, topic: str, payload: dict, dedupe_key: str | None = None) -> OutboxMessage:
    """Record that `topic` must be delivered with `payload` (primary keys, JSON) and hand it to the task
    queue once the transaction commits.

    Call inside the transaction.atomic() block that makes the change (else OutboxOutsideTransaction):
    rolled back, the message never existed. With a `dedupe_key`, a second message with the same key is
    not written; the existing one is returned. If handing the message to the queue fails (Redis down),
    a warning is logged and the relay delivers it later: the request never fails because of it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise OutboxOutsideTransaction(f"outbox message {topic!r} added outside transaction.atomic()")
    if handler_for(topic) is None:
        raise LookupError(f"no outbox handler is registered for {topic!r}")
    if dedupe_key is not None:
        # Written first, looked up only when the key is taken (one statement fewer in the usual case)
        try:
            with transaction.atomic():
                message = OutboxMessage.objects.create(
                    topic=topic, payload=payload, dedupe_key=dedupe_key, trace_context=_trace_context()
                )
        except IntegrityError:  # written before (or by a concurrent transaction that committed first)
            return OutboxMessage.objects.get(dedupe_key=dedupe_key)
    else:
        message = OutboxMessage.objects.create(topic=topic, payload=payload, trace_context=_trace_context())
    message_id = message.pk
    transaction.on_commit(lambda: outbox_message_enqueue(message_id=message_id))
    return message


def _trace_context() -> dict:
    """The current W3C trace context (`traceparent`...), or {} while tracing is off."""
    carrier: dict[str, str] = {}
    inject(carrier)
    return carrier


def outbox_message_enqueue(*, message_id: int) -> bool:
    """Hand a committed message to the task queue. Never raises: on failure (Redis down, anything) it
    logs a warning and returns False; the message stays pending for the relay."""
    try:
        outbox_deliver(message_id)
    except Exception:  # noqa: BLE001 - the change is committed; the relay delivers the message later
        logger.warning("outbox message %s: not handed to the task queue; the relay will deliver it", message_id,
                       exc_info=True)  # fmt: skip
        return False
    return True


def outbox_message_retry(*, message_id: int) -> Outcome:
    """Staff: try a pending or failed message again now. A failed message gets one more attempt (it
    fails for good again if that attempt fails). Short (atomic) handlers are delivered at once, in this
    process; long ones are handed to the task queue after commit. Delivered messages are left alone."""
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(pk=message_id, status__in=[Status.PENDING, Status.FAILED]).update(
            status=Status.PENDING, next_attempt_at=timezone.now()
        )
        if not updated:
            return Outcome.SKIPPED
        message = OutboxMessage.objects.get(pk=message_id)
        handler = handler_for(message.topic)
        if handler is not None and not handler.atomic:
            transaction.on_commit(lambda: outbox_message_enqueue(message_id=message_id))
            return Outcome.QUEUED
    return outbox_message_deliver(message_id=message_id)


def outbox_delivered_purge(*, older_than_days: int) -> int:
    """Delete delivered messages delivered more than `older_than_days` days ago (at least 1); returns how
    many. Pending and failed messages are never touched. A deleted message's dedupe key is free again,
    so keep the window longer than any event could be repeated (a retried webhook, a double click)."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = OutboxMessage.objects.filter(status=Status.DELIVERED, delivered_at__lt=cutoff).delete()
    return deleted


def outbox_message_dismiss(*, message_id: int) -> bool:
    """Staff: give up on a message that failed for good (its side effect will never happen); the row is
    deleted. Returns False when it is not failed (delivered, pending again after a retry, or gone)."""
    deleted, _ = OutboxMessage.objects.filter(pk=message_id, status=Status.FAILED).delete()
    return bool(deleted)
