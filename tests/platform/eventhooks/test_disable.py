"""An endpoint that keeps failing is disabled and the merchant emailed through the outbox (ADR 0048)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.utils import timezone

from eventhooks.delivery import DISABLED_EMAIL_TOPIC, webhook_delivery_attempt
from eventhooks.models import WebhookDelivery, WebhookEndpoint
from eventhooks.notifications import webhook_alert_recipients
from eventhooks.services import webhook_endpoint_create, webhook_endpoint_update, webhook_event_publish
from sideeffects.models import OutboxMessage
from tests.metrics import scrape

pytestmark = pytest.mark.django_db


def publish_and_fail(capture) -> WebhookDelivery:
    with capture(execute=True), transaction.atomic():
        event = webhook_event_publish(event="order.paid", data={})
    return WebhookDelivery.objects.get(event=event)


def test_an_endpoint_failing_for_a_day_is_disabled_and_its_contact_emailed_through_the_outbox(
    receiver, settings, staff_user, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_MIN_FAILURES = 3
    receiver.answers = [500] * 10
    endpoint = webhook_endpoint_create(
        url=receiver.url, events=["order.paid"], contact_email="apps@merchant.example", by=staff_user
    )
    first = publish_and_fail(django_capture_on_commit_callbacks)
    publish_and_fail(django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.consecutive_failures == 2  # failing, but not for a day yet
    # the failures started a day ago
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now() - timedelta(hours=24))
    before = scrape()
    last = publish_and_fail(django_capture_on_commit_callbacks)
    assert (
        scrape().value("hypex_webhook_endpoints_disabled_total")
        - before.value("hypex_webhook_endpoints_disabled_total")
        == 1
    )

    endpoint.refresh_from_db()
    assert not endpoint.enabled and endpoint.disabled_at is not None
    assert "failed for 24 h (3 attempts in a row)" in endpoint.disabled_reason
    first.refresh_from_db()
    last.refresh_from_db()
    assert first.status == last.status == WebhookDelivery.Status.FAILED  # nothing more is tried
    assert first.last_error == "The endpoint was disabled."
    message = OutboxMessage.objects.get(topic=DISABLED_EMAIL_TOPIC)
    assert message.status == OutboxMessage.Status.DELIVERED and message.payload == {"endpoint_id": endpoint.pk}
    [email] = mail.outbox
    assert email.to == ["apps@merchant.example"]
    assert receiver.url in email.subject and endpoint.disabled_reason in email.body

    # further events are not sent to it
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        assert webhook_event_publish(event="order.paid", data={}) is None
    assert len(receiver.received) == 3


def test_a_success_ends_the_failure_streak(receiver, settings, django_capture_on_commit_callbacks):
    receiver.answers = [500]
    endpoint = webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    delivery = publish_and_fail(django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 1 and endpoint.failing_since is not None
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == "succeeded"
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.failing_since is None


def test_enabling_a_disabled_endpoint_starts_afresh(receiver):
    endpoint = webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        enabled=False, disabled_at=timezone.now(), disabled_reason="x", consecutive_failures=9,
        failing_since=timezone.now(),
    )  # fmt: skip
    endpoint.refresh_from_db()
    endpoint = webhook_endpoint_update(
        endpoint=endpoint, url=receiver.url, events=["order.paid"], description="", contact_email="", enabled=True
    )
    assert (endpoint.enabled, endpoint.consecutive_failures, endpoint.failing_since, endpoint.disabled_at) == (
        True, 0, None, None,
    )  # fmt: skip


def test_the_alert_goes_to_the_creator_without_a_contact_and_to_superusers_without_either(receiver, settings, user):
    creator_endpoint = webhook_endpoint_create(url=receiver.url, events=["order.paid"], by=user)
    settings.WEBHOOK_ALERT_EMAILS = ["ops@merchant.example"]
    assert webhook_alert_recipients(endpoint=creator_endpoint) == [user.email, "ops@merchant.example"]
    settings.WEBHOOK_ALERT_EMAILS = []
    orphan = webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    get_user_model().objects.create_superuser(email="owner@merchant.example", password="x")
    assert webhook_alert_recipients(endpoint=orphan) == ["owner@merchant.example"]


def test_a_delivery_due_for_an_endpoint_staff_disabled_is_not_sent(receiver, django_capture_on_commit_callbacks):
    receiver.answers = [500]
    endpoint = webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    delivery = publish_and_fail(django_capture_on_commit_callbacks)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(enabled=False)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())

    assert webhook_delivery_attempt(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == (WebhookDelivery.Status.FAILED, "The endpoint is disabled.")
    assert len(receiver.received) == 1
