"""Deliveries against a real receiver on loopback (ADR 0048): signed, retried with back-off, logged."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from eventhooks import services, tasks
from eventhooks.delivery import webhook_backoff, webhook_delivery_attempt
from eventhooks.models import WebhookAttempt, WebhookDelivery
from eventhooks.services import webhook_endpoint_create, webhook_event_publish
from tests.metrics import scrape

pytestmark = pytest.mark.django_db


def publish(capture, event: str = "order.paid", data: dict | None = None):
    with capture(execute=True), transaction.atomic():
        return webhook_event_publish(event=event, data=data or {"number": "100001"})


def make_due(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_a_real_receiver_answers_500_then_200_and_sees_the_retry_of_the_same_signed_event(
    receiver, django_capture_on_commit_callbacks
):
    endpoint = webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    receiver.secret = endpoint.secret
    receiver.answers = [500]
    before = scrape()

    event = publish(django_capture_on_commit_callbacks, data={"number": "100001", "status": "Paid"})

    delivery = WebhookDelivery.objects.get(event=event, endpoint=endpoint)
    assert [r.answered for r in receiver.received] == [500]
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.attempts == 1 and delivery.last_status_code == 500
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)  # the first back-off: one minute

    assert tasks.webhook_deliveries_retry.call_local() == 0  # not due yet: nothing is sent
    assert len(receiver.received) == 1

    make_due(delivery)
    assert tasks.webhook_deliveries_retry.call_local() == 1

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED and delivery.attempts == 2
    assert [r.answered for r in receiver.received] == [500, 200]
    assert all(r.signature_valid for r in receiver.received)
    first, second = (r.json for r in receiver.received)
    assert first == second  # the same event, the same id: the app can de-duplicate
    assert first["id"] == event.event_id and first["id"].startswith("evt_")
    assert first["type"] == "order.paid" and first["data"] == {"number": "100001", "status": "Paid"}
    assert first["created"] == int(event.created_at.timestamp())
    assert receiver.received[0].headers["Hypex-Event-Id"] == event.event_id
    assert receiver.received[0].headers["Content-Type"] == "application/json"

    attempts = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("attempted_at", "pk"))
    assert [(a.status_code, a.succeeded) for a in attempts] == [(500, False), (200, True)]
    assert all(a.latency_ms >= 0 and a.url == receiver.url for a in attempts)
    assert json.loads(attempts[0].response_excerpt) == {"ok": False, "signature_valid": True}

    assert tasks.webhook_deliveries_retry.call_local() == 0  # delivered: never sent again
    assert len(receiver.received) == 2
    after = scrape()
    for outcome in ("failed", "succeeded"):
        name = "hypex_webhook_attempts_total"
        assert (
            after.value(name, event="order.paid", outcome=outcome)
            - before.value(name, event="order.paid", outcome=outcome)
            == 1
        )


def test_nothing_leaves_before_commit_and_a_rollback_sends_nothing(receiver, django_capture_on_commit_callbacks):
    webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            webhook_event_publish(event="order.paid", data={"number": "1"})
            assert receiver.received == []
            raise RuntimeError("the change failed")
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def test_only_enabled_endpoints_subscribed_to_the_event_get_a_delivery(receiver):
    paid = webhook_endpoint_create(url=receiver.url, events=["order.paid", "order.created"])
    webhook_endpoint_create(url=receiver.url, events=["order.created"])
    webhook_endpoint_create(url=receiver.url, events=["order.paid"], enabled=False)
    with transaction.atomic():
        event = webhook_event_publish(event="order.paid", data={})
    assert [d.endpoint_id for d in event.deliveries.all()] == [paid.pk]
    with transaction.atomic():
        assert webhook_event_publish(event="stock.low", data={}) is None  # nobody listens: nothing written


@pytest.mark.django_db(transaction=True)
def test_publishing_outside_a_transaction_is_refused(receiver):
    from eventhooks.errors import WebhookOutsideTransaction

    webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    with pytest.raises(WebhookOutsideTransaction):
        webhook_event_publish(event="order.paid", data={})


def test_publishing_an_unknown_event_or_data_that_is_not_plain_json_raises(receiver):
    webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    with transaction.atomic():
        with pytest.raises(ValueError):
            webhook_event_publish(event="order.exploded", data={})
        with pytest.raises(TypeError):
            webhook_event_publish(event="order.paid", data={"total": Decimal("1.50")})


def test_the_back_off_doubles_from_one_minute_up_to_the_cap():
    minutes = [webhook_backoff(attempts=n).total_seconds() / 60 for n in range(1, 10)]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 120, 120]


def test_retries_stop_a_day_after_the_event(receiver, django_capture_on_commit_callbacks):
    endpoint = webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    receiver.answers = [503] * 50
    event = publish(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get(event=event)
    # the event is almost a day old: the next back-off would pass the window, so this attempt is the last
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        retry_until=timezone.now() + timedelta(seconds=30), next_attempt_at=timezone.now()
    )
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.last_error == "HTTP 503"
    assert endpoint.deliveries.count() == 1 and len(receiver.received) == 2


def test_a_redirect_is_not_followed_and_counts_as_a_failure(receiver, django_capture_on_commit_callbacks):
    webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    receiver.answers = [302]
    event = publish(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get(event=event)
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.last_status_code == 302
    assert len(receiver.received) == 1


def test_a_receiver_that_is_down_or_too_slow_is_logged_as_an_error(
    receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    receiver.delay = 1.5
    event = publish(django_capture_on_commit_callbacks)
    attempt = WebhookAttempt.objects.get(delivery__event=event)
    assert attempt.status_code is None and "Timeout" in attempt.error and not attempt.succeeded

    receiver.delay = 0
    receiver.stop()
    make_due(attempt.delivery)
    assert webhook_delivery_attempt(delivery_id=attempt.delivery_id) == "retry"
    latest = WebhookAttempt.objects.filter(delivery__event=event).order_by("-pk").first()
    assert "ConnectionError" in latest.error
    receiver.start = lambda: None  # noqa: E731 - the fixture's stop() runs again
    receiver.stop = lambda: None  # noqa: E731


def test_old_events_whose_deliveries_ended_are_purged_by_the_daily_task(receiver, settings):
    settings.WEBHOOK_KEEP_DAYS = 30
    endpoint = webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    with transaction.atomic():
        ended = webhook_event_publish(event="order.paid", data={}, occurred_at=timezone.now() - timedelta(days=31))
        waiting = webhook_event_publish(event="order.paid", data={}, occurred_at=timezone.now() - timedelta(days=31))
        recent = webhook_event_publish(event="order.paid", data={})
    ended.deliveries.update(status=WebhookDelivery.Status.SUCCEEDED)
    recent.deliveries.update(status=WebhookDelivery.Status.FAILED)

    assert tasks.webhook_events_purge.call_local() == 1

    assert set(endpoint.deliveries.values_list("event_id", flat=True)) == {waiting.pk, recent.pk}
    with pytest.raises(ValueError):
        services.webhook_events_purge(older_than_days=1)
