"""Account mails leave through the outbox (ADR 0024): registering while Redis is down answers 202 and
the verification mail goes out once when the relay runs (the welcome mail waits for verification); a
phone code that cannot reach the worker is an honest 503 in the error format, never a 500 or a wait
for a code that will not come."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import PhoneChallenge
from sideeffects.delivery import outbox_relay
from sideeffects.models import OutboxMessage
from tests.outbox_mail import huey_on

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


def test_registering_while_redis_is_down_sends_each_mail_once_when_the_relay_runs(api_client, redis_server):
    with huey_on(redis_server.url):
        redis_server.stop()
        response = api_client.post(
            "/api/v1/auth/register/", {"email": "down@example.com", "password": "plum-orchard-lantern-42"},
            format="json",
        )  # fmt: skip
        assert response.status_code == 202, response.content
        assert OutboxMessage.objects.filter(status="pending").count() == 1  # verification (welcome: once verified)
        assert mail.outbox == []

        redis_server.start()
        assert outbox_relay(grace_seconds=0) == 1
        assert outbox_relay(grace_seconds=0) == 0

    assert [m.subject for m in mail.outbox] == ["[Hypex] Please Confirm Your Email Address"]
    verification = next(m for m in mail.outbox if "Confirm" in m.subject)
    assert verification.to == ["down@example.com"]
    assert re.search(r"/auth/confirm-email/[^/\s]+/", verification.body)
    rendered = OutboxMessage.objects.get(topic="accounts.rendered_mail")
    assert rendered.payload == {"erased": True}  # the delivered mail's live link is not kept


def test_a_phone_code_while_redis_is_down_is_a_503_in_the_error_format(api_client, sms_provider, redis_server):
    with huey_on(redis_server.url):
        redis_server.stop()
        response = api_client.post("/api/v1/auth/otp/request/", {"phone": "+447911123456"}, format="json")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "sms_delivery_failed"
    challenge = PhoneChallenge.objects.get(phone="+447911123456")
    assert challenge.delivery == PhoneChallenge.Delivery.FAILED and "queue" in challenge.delivery_error
    assert sms_provider.messages == []
