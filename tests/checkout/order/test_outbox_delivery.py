"""Order emails leave through the outbox (ADR 0024): placing an order while Redis is down answers 201
and loses nothing; the relay sends each confirmation once when it runs."""

from __future__ import annotations

import pytest
from django.core import mail
from rest_framework.test import APIClient

from sideeffects.delivery import outbox_relay
from sideeffects.models import OutboxMessage
from tests.checkout.conftest import add_line, checkout_body
from tests.conftest import auth_header
from tests.outbox_mail import huey_on

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.redis,
    pytest.mark.usefixtures("shipping_methods", "dummy_payments"),
]


def _place(client, product) -> str:
    assert add_line(client, product, 1).status_code == 201
    response = client.post("/api/v1/checkout/", checkout_body(), format="json")
    assert response.status_code == 201, response.content  # committed: never a 500
    return response.json()["order"]["number"]


def _confirmations() -> list[str]:
    return [m.subject for m in mail.outbox if m.subject.startswith("Your Hypex order")]


def test_orders_placed_while_redis_is_down_are_confirmed_once_when_the_relay_runs(user, make_product, redis_server):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=auth_header(user)["HTTP_AUTHORIZATION"])
    products = [make_product(title=f"Thing {n}") for n in range(2)]
    with huey_on(redis_server.url):
        redis_server.stop()  # Redis dies: the on-commit hand-over to the queue fails
        numbers = [_place(client, product) for product in products]

        pending = OutboxMessage.objects.filter(topic="order.notify", status="pending")
        assert pending.count() == 2 and _confirmations() == []

        redis_server.start()
        assert outbox_relay(grace_seconds=0) == 2
        assert outbox_relay(grace_seconds=0) == 0  # and again: nothing twice

    assert sorted(_confirmations()) == sorted(f"Your Hypex order {number}" for number in numbers)
    assert not OutboxMessage.objects.exclude(status="delivered").exists()
