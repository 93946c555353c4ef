"""Writes on the outbox: add a message inside the transaction that causes it, deliver it, relay what was
not delivered, retry for staff. Keyword-only, typed, named <entity>_<action> (ADR 0024).

Delivery is at least once. Exactly one email per event comes from the handler being idempotent, on top
of the delivery's row lock and "delivered" mark, which keep two deliverers (the on-commit task, the
relay, a retry) from running one message at the same time or running a delivered message again.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from opentelemetry import trace
from opentelemetry.propagate import extract, inject

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
        existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                message = OutboxMessage.objects.create(
                    topic=topic, payload=payload, dedupe_key=dedupe_key, trace_context=_trace_context()
                )
        except IntegrityError:  # written by a concurrent transaction that committed first
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


def outbox_message_enqueue(*, message_id: int) -> bool:
    """Hand a committed message to the task queue. Never raises: on failure (Redis down, anything) it
    logs a warning and returns False; the message stays pending for the relay."""
    from .tasks import outbox_deliver

    try:
        outbox_deliver(message_id)
    except Exception:  # noqa: BLE001 - the change is committed; the relay delivers the message later
        logger.warning("outbox message %s: not handed to the task queue; the relay will deliver it", message_id,
                       exc_info=True)  # fmt: skip
        return False
    return True


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
