"""Delivering outbox messages: one message under its row lock, and the relay that delivers what was missed.
The outbox's tasks run these (`tasks.py`); nothing here enqueues (ADR 0024, ADR 0040).

Delivery is at least once. Exactly one email per event comes from the handler being idempotent, on top
of the delivery's row lock and "delivered" mark, which keep two deliverers (the on-commit task, the
relay, a retry) from running one message at the same time or running a delivered message again.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from opentelemetry import trace
from opentelemetry.propagate import extract

from .metrics import OUTBOX_DELIVERED, OUTBOX_DELIVERY_FAILURES
from .models import OutboxMessage
from .registry import OutboxHandler, handler_for

logger = logging.getLogger("sideeffects")
tracer = trace.get_tracer("hypex.outbox")
Status = OutboxMessage.Status
ERROR_MAX_CHARS = 2000


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"  # failed this time; tried again after the back-off
    FAILED = "failed"  # failed for good (OUTBOX_MAX_ATTEMPTS): waits for staff
    CLAIMED = "claimed"  # a long-running handler is running it (lease)
    SKIPPED = "skipped"  # delivered already, not due, or being delivered by someone else
    QUEUED = "queued"  # handed to the task queue after commit


def _handler_run(handler: OutboxHandler, message: OutboxMessage, payload: dict) -> None:
    """Run the handler in a span linked to the request that wrote the message."""
    written_in = trace.get_current_span(extract(message.trace_context or {})).get_span_context()
    links = [trace.Link(written_in)] if written_in.is_valid else []
    with tracer.start_as_current_span(
        f"outbox {message.topic}",
        links=links,
        attributes={"outbox.topic": message.topic, "outbox.message_id": message.pk},
    ):
        handler.func(**payload)


def _lock(*, message_id: int) -> OutboxMessage | None:
    """The message under its row lock, or None when it does not exist or another deliverer holds it.
    Call inside transaction.atomic(). PostgreSQL skips a locked row (SKIP LOCKED); on SQLite, which
    has no row locks, the first statement is a write, which takes the database's write lock for the
    whole transaction, so deliverers run one after the other and the second sees the first's result."""
    queryset = OutboxMessage.objects.filter(pk=message_id)
    connection = transaction.get_connection()
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True).first()
    queryset.update(attempts=F("attempts"))
    return queryset.first()


def _backoff(attempts: int) -> timedelta:
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def _record_failure(message: OutboxMessage, error: str, *, counted: bool = False) -> Outcome:
    """Write a failed attempt on a locked message: the error, the attempt, the next try (or failed)."""
    if not counted:
        message.attempts += 1
    message.last_error = error[:ERROR_MAX_CHARS]
    message.next_attempt_at = timezone.now() + _backoff(message.attempts)
    message.status = Status.FAILED if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS else Status.PENDING
    message.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
    OUTBOX_DELIVERY_FAILURES.labels(topic=message.topic).inc()
    logger.warning("outbox message %s (%s): attempt %s failed: %s", message.pk, message.topic, message.attempts,
                   error.splitlines()[0] if error else "")  # fmt: skip
    return Outcome.FAILED if message.status == Status.FAILED else Outcome.RETRY


def _record_delivered(message: OutboxMessage, handler: OutboxHandler, *, counted: bool = False) -> Outcome:
    if not counted:
        message.attempts += 1
    message.status = Status.DELIVERED
    message.delivered_at = timezone.now()
    message.last_error = ""
    if handler.sensitive:
        message.payload = {"erased": True}
    message.save(update_fields=["attempts", "status", "delivered_at", "last_error", "payload"])
    OUTBOX_DELIVERED.labels(topic=message.topic).inc()
    return Outcome.DELIVERED


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def outbox_message_deliver(*, message_id: int) -> Outcome:
    """Deliver one message if it is pending and due; safe to call any number of times, concurrently.

    Call outside a transaction. A handler's exception is recorded (attempt, error, back-off) and not
    raised. See `registry.OutboxHandler` for the atomic and lease (atomic=False) ways of running.
    """
    now = timezone.now()
    with transaction.atomic():
        message = _lock(message_id=message_id)
        if message is None or message.status != Status.PENDING or message.next_attempt_at > now:
            return Outcome.SKIPPED
        handler = handler_for(message.topic)
        if handler is None:
            return _record_failure(message, f"No handler is registered for topic {message.topic!r}.")
        if handler.atomic:
            try:
                with transaction.atomic():  # a savepoint: the handler's writes go with its failure
                    _handler_run(handler, message, message.payload)
            except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
                return _record_failure(message, _describe(exc))
            return _record_delivered(message, handler)
        # Long-running handler: claim it (the lease), commit, and run it outside this transaction.
        message.attempts += 1
        message.next_attempt_at = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        message.save(update_fields=["attempts", "next_attempt_at"])
        payload = message.payload
    try:
        _handler_run(handler, message, payload)
    except Exception as exc:  # noqa: BLE001
        error = _describe(exc)
    else:
        error = None
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status != Status.PENDING:
            return Outcome.SKIPPED  # staff changed it meanwhile
        if error is not None:
            return _record_failure(message, error, counted=True)
        return _record_delivered(message, handler, counted=True)


def outbox_relay(*, limit: int | None = None, grace_seconds: int | None = None) -> int:
    """Deliver, in this process, the pending messages that are due and older than the grace period:
    those whose hand-over to the queue failed, whose worker died, whose last attempt failed. Needs no
    Redis. Returns how many it delivered. Messages being delivered elsewhere are skipped, not waited for
    (PostgreSQL) or found delivered once the other deliverer commits."""
    now = timezone.now()
    grace = settings.OUTBOX_RELAY_GRACE_SECONDS if grace_seconds is None else grace_seconds
    ids = list(
        OutboxMessage.objects.filter(
            status=Status.PENDING, next_attempt_at__lte=now, created_at__lte=now - timedelta(seconds=grace)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[: limit or settings.OUTBOX_RELAY_BATCH]
    )
    delivered = 0
    for message_id in ids:
        try:
            delivered += outbox_message_deliver(message_id=message_id) == Outcome.DELIVERED
        except Exception:  # noqa: BLE001 - one broken message (a database error) must not stop the batch
            logger.exception("outbox relay: message %s could not be delivered", message_id)
    if ids:
        logger.info("outbox relay: %s of %s due messages delivered", delivered, len(ids))
    return delivered
