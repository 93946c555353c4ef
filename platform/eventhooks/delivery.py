"""Attempting webhook deliveries (ADR 0048): one POST of one delivery, its record, the back-off, and
disabling an endpoint that keeps failing. Run by the outbox's kick (`handlers.py`) and the periodic
retry (`tasks.py`); nothing here enqueues a task.

No database transaction is open while the POST runs: the attempt claims the delivery under its row
lock (attempts + 1, `next_attempt_at` pushed out by `WEBHOOK_LEASE_SECONDS`), commits, posts, then
records the answer under the lock again. Two deliverers (the kick and the periodic retry) never post
one delivery at once: the second finds it claimed (not due) and skips it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sideeffects.services import outbox_message_add

from .metrics import WEBHOOK_ATTEMPTS, WEBHOOK_ENDPOINTS_DISABLED
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .safety import WebhookUrlRefused, webhook_url_check
from .selectors import webhook_delivery_ids_due
from .signing import EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, event_body, signature_header

logger = logging.getLogger("eventhooks")
Status = WebhookDelivery.Status
DISABLED_EMAIL_TOPIC = "eventhooks.endpoint_disabled_email"
EXCERPT_BYTES = 500
USER_AGENT = "Hypex-Webhooks/1"


@dataclass(frozen=True)
class PostResult:
    status_code: int | None
    latency_ms: int
    excerpt: str = ""
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def webhook_backoff(*, attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: base * 2**(attempts-1) seconds, capped."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def _lock(*, delivery_id: int) -> WebhookDelivery | None:
    """The delivery under its row lock (skipped when another deliverer holds it), as the outbox does."""
    queryset = WebhookDelivery.objects.filter(pk=delivery_id).select_related("endpoint", "event")
    connection = transaction.get_connection()
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",)).first()
    queryset.update(attempts=F("attempts"))  # SQLite: a write takes the database lock
    return queryset.first()


def _post(*, url: str, body: bytes, headers: dict[str, str]) -> PostResult:
    """POST `body` to `url`: short timeouts, no redirects, no proxies from the environment; the answer's
    first bytes kept. Never raises: a refusal or a network error is the result's `error`."""
    started = time.monotonic()
    try:
        webhook_url_check(url=url)  # again: the name may resolve elsewhere than when it was saved
        with requests.Session() as session:
            session.trust_env = False
            timeout = settings.WEBHOOK_TIMEOUT_SECONDS
            with session.post(
                url, data=body, headers=headers, timeout=(timeout, timeout), allow_redirects=False, stream=True
            ) as response:
                excerpt = response.raw.read(EXCERPT_BYTES, decode_content=True) or b""
                status_code = response.status_code
    except WebhookUrlRefused as exc:
        return PostResult(None, _since(started), error=f"Refused: {exc}")
    except requests.RequestException as exc:
        return PostResult(None, _since(started), error=f"{type(exc).__name__}: {exc}"[:500])
    return PostResult(status_code, _since(started), excerpt=excerpt.decode("utf-8", "replace"))


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def webhook_delivery_attempt(*, delivery_id: int) -> str:
    """Attempt one delivery if it is pending and due; returns "succeeded", "retry", "failed" or
    "skipped". Safe to call any number of times, concurrently. Call outside a transaction."""
    now = timezone.now()
    with transaction.atomic():
        delivery = _lock(delivery_id=delivery_id)
        if delivery is None or delivery.status != Status.PENDING or delivery.next_attempt_at > now:
            return "skipped"
        endpoint = delivery.endpoint
        if not endpoint.enabled:
            delivery.status = Status.FAILED
            delivery.last_error = "The endpoint is disabled."
            delivery.save(update_fields=["status", "last_error"])
            return "failed"
        delivery.attempts += 1
        delivery.next_attempt_at = now + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        event = delivery.event
        body = event_body(
            event_id=event.event_id, event_type=event.type, created=int(event.created_at.timestamp()), data=event.data
        )
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: signature_header(secrets_=endpoint.signing_secrets(), timestamp=timestamp, body=body),
            EVENT_ID_HEADER: event.event_id,
            EVENT_TYPE_HEADER: event.type,
        }
        url = endpoint.url
    result = _post(url=url, body=body, headers=headers)
    with transaction.atomic():
        return _record(delivery_id=delivery_id, url=url, result=result)


def _record(*, delivery_id: int, url: str, result: PostResult) -> str:
    """Write the attempt and its consequences: delivered, or the next try (or failed), and the endpoint's
    failure streak. Locks the delivery, then its endpoint."""
    now = timezone.now()
    delivery = WebhookDelivery.objects.select_for_update(of=("self",)).select_related("event").get(pk=delivery_id)
    outcome = "succeeded" if result.succeeded else "failed"
    WEBHOOK_ATTEMPTS.labels(event=delivery.event.type, outcome=outcome).inc()
    WebhookAttempt.objects.create(
        delivery=delivery,
        attempted_at=now,
        url=url,
        status_code=result.status_code,
        latency_ms=result.latency_ms,
        response_excerpt=result.excerpt[:EXCERPT_BYTES],
        error=result.error[:500],
        succeeded=result.succeeded,
    )
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    delivery.last_status_code = result.status_code
    if result.succeeded:
        delivery.status = Status.SUCCEEDED
        delivery.delivered_at = now
        delivery.last_error = ""
        delivery.save(update_fields=["status", "delivered_at", "last_error", "last_status_code"])
        if endpoint.consecutive_failures or endpoint.failing_since:
            endpoint.consecutive_failures, endpoint.failing_since = 0, None
            endpoint.save(update_fields=["consecutive_failures", "failing_since"])
        return "succeeded"
    delivery.last_error = result.error or f"HTTP {result.status_code}"
    next_attempt = now + webhook_backoff(attempts=delivery.attempts)
    if delivery.status == Status.PENDING and next_attempt <= delivery.retry_until:
        delivery.next_attempt_at = next_attempt
        outcome = "retry"
    else:
        delivery.status = Status.FAILED
        outcome = "failed"
    delivery.save(update_fields=["status", "next_attempt_at", "last_error", "last_status_code"])
    logger.warning("webhook delivery %s to endpoint %s: attempt %s failed (%s)", delivery.pk, endpoint.pk,
                   delivery.attempts, delivery.last_error.splitlines()[0][:200])  # fmt: skip
    _endpoint_failure(endpoint=endpoint, now=now)
    return outcome


def _endpoint_failure(*, endpoint: WebhookEndpoint, now) -> None:
    """Count a failure on a locked endpoint; disable it once every attempt has failed for
    `WEBHOOK_DISABLE_AFTER_HOURS`, at least `WEBHOOK_DISABLE_MIN_FAILURES` times in a row."""
    endpoint.consecutive_failures += 1
    endpoint.failing_since = endpoint.failing_since or now
    fields = ["consecutive_failures", "failing_since"]
    failing_for = now - endpoint.failing_since
    if (
        endpoint.enabled
        and failing_for >= timedelta(hours=settings.WEBHOOK_DISABLE_AFTER_HOURS)
        and endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_MIN_FAILURES
    ):
        hours = int(failing_for.total_seconds() // 3600)
        endpoint.enabled = False
        endpoint.disabled_at = now
        endpoint.disabled_reason = (
            f"Every delivery failed for {hours} h ({endpoint.consecutive_failures} attempts in a row)."
        )
        fields += ["enabled", "disabled_at", "disabled_reason"]
        endpoint.deliveries.filter(status=Status.PENDING).update(
            status=Status.FAILED, last_error="The endpoint was disabled."
        )
        # the merchant hears of it through the outbox, with this transaction (ADR 0024)
        outbox_message_add(
            topic=DISABLED_EMAIL_TOPIC,
            payload={"endpoint_id": endpoint.pk},
            dedupe_key=f"{DISABLED_EMAIL_TOPIC}:{endpoint.pk}:{int(now.timestamp())}",
        )
        logger.warning("webhook endpoint %s disabled: %s", endpoint.pk, endpoint.disabled_reason)
        WEBHOOK_ENDPOINTS_DISABLED.inc()
    endpoint.save(update_fields=fields)


def webhook_deliveries_retry(*, limit: int | None = None) -> int:
    """Attempt, in this process, every pending delivery that is due (its back-off has passed, its kick
    was lost, its worker died). Returns how many succeeded."""
    ids = webhook_delivery_ids_due(now=timezone.now(), limit=limit or settings.WEBHOOK_RETRY_BATCH)
    succeeded = 0
    for delivery_id in ids:
        try:
            succeeded += webhook_delivery_attempt(delivery_id=delivery_id) == "succeeded"
        except Exception:  # noqa: BLE001 - one broken delivery (a database error) must not stop the batch
            logger.exception("webhook delivery %s could not be attempted", delivery_id)
    return succeeded
