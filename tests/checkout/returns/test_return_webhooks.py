"""A return asked for reaches the merchant's apps once as `return.requested` (ADR 0044, ADR 0048)."""

from __future__ import annotations

import pytest

from eventhooks.models import WebhookDelivery, WebhookEvent
from eventhooks.services import webhook_endpoint_create
from tests.checkout.returns.api.test_returns_api import _ask, _client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reasons")]


def test_asking_for_a_return_through_the_api_publishes_return_requested_once(delivered_order, user):
    endpoint = webhook_endpoint_create(url="http://127.0.0.1:9/hooks", events=["return.requested"])
    events_before = WebhookEvent.objects.count()  # the order's own events (paid, shipped) were not subscribed

    response = _ask(_client(user), delivered_order)

    assert response.status_code == 201, response.content
    [event] = WebhookEvent.objects.all()[events_before:]
    assert event.type == "return.requested" and event.event_id.startswith("evt_")
    assert event.data["id"] == response.json()["id"] and event.data["order"] == delivered_order.number
    assert event.data["status"] == "requested" and event.data["customer"] == {"id": user.pk, "guest": False}
    assert sorted((line["order_line_id"], line["quantity"], line["reason"]) for line in event.data["lines"]) == sorted(
        (line.pk, line.quantity, "wrong-size") for line in delivered_order.lines.all()
    )
    assert user.email not in str(event.data)  # no personal data in webhook payloads
    assert WebhookDelivery.objects.get(event=event).endpoint == endpoint


def test_a_refused_return_publishes_nothing(delivered_order, user):
    webhook_endpoint_create(url="http://127.0.0.1:9/hooks", events=["return.requested"])

    response = _ask(_client(user), delivered_order, lines=[])

    assert response.status_code == 400
    assert not WebhookEvent.objects.filter(type="return.requested").exists()
