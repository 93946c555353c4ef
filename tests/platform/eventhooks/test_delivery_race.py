"""Two deliverers (the outbox's kick and the periodic retry) never POST one delivery at once (ADR 0048):
the attempt claims the delivery under its row lock and holds no transaction while the app answers."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from eventhooks.delivery import webhook_delivery_attempt
from eventhooks.models import WebhookDelivery, WebhookEvent
from eventhooks.services import webhook_endpoint_create


@pytest.mark.django_db(transaction=True)
def test_two_deliverers_at_once_post_the_delivery_once(receiver):
    endpoint = webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    event = WebhookEvent.objects.create(event_id="evt_race", type="order.paid", data={})
    delivery = WebhookDelivery.objects.create(
        event=event, endpoint=endpoint, retry_until=timezone.now() + timedelta(hours=24)
    )
    receiver.delay = 1.0  # the first deliverer is still waiting for the app when the second comes
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def deliver() -> None:
        start.wait()
        try:
            outcomes.append(webhook_delivery_attempt(delivery_id=delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["skipped", "succeeded"]
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.SUCCEEDED, 1)
