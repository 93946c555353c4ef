"""The `Hypex-Signature` header (ADR 0048): Stripe's scheme, two signatures while a rotated secret lives."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from eventhooks.models import WebhookEndpoint
from eventhooks.services import webhook_endpoint_create, webhook_endpoint_secret_rotate, webhook_event_publish
from eventhooks.signing import event_body, secret_generate, signature_header, signature_verify

HEADER = re.compile(r"^t=(\d+),v1=([0-9a-f]{64})$")


def test_the_header_is_t_and_v1_the_hex_hmac_sha256_of_t_dot_body():
    body = event_body(event_id="evt_1", event_type="order.paid", created=1, data={"number": "1"})
    header = signature_header(secrets_=["whsec_abc"], timestamp=1700000000, body=body)

    match = HEADER.match(header)
    assert match and match.group(1) == "1700000000"
    expected = hmac.new(b"whsec_abc", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert match.group(2) == expected
    assert signature_verify(header=header, body=body, secret="whsec_abc", now=1700000100)
    assert not signature_verify(header=header, body=body + b" ", secret="whsec_abc", now=1700000100)
    assert not signature_verify(header=header, body=body, secret="whsec_other", now=1700000100)
    assert not signature_verify(header=header, body=body, secret="whsec_abc", now=1700000000 + 301)  # a replay


def test_the_body_has_id_type_created_and_data_and_secrets_are_random():
    body = event_body(event_id="evt_1", event_type="order.paid", created=5, data={"b": 1, "a": "é"})
    assert body == '{"created":5,"data":{"a":"é","b":1},"id":"evt_1","type":"order.paid"}'.encode()
    assert secret_generate() != secret_generate() and re.fullmatch(r"whsec_[0-9a-f]{48}", secret_generate())


@pytest.mark.django_db
def test_rotating_keeps_the_old_secret_signing_for_24_hours_as_a_second_v1(
    receiver, django_capture_on_commit_callbacks
):
    endpoint = webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    old = endpoint.secret

    rotated = webhook_endpoint_secret_rotate(endpoint=endpoint)

    assert rotated.secret != old and rotated.previous_secret == old
    expires = rotated.previous_secret_expires_at - timezone.now()
    assert timedelta(hours=23, minutes=59) < expires <= timedelta(hours=24)
    receiver.secret = rotated.secret
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        webhook_event_publish(event="order.paid", data={})
    [received] = receiver.received
    header = received.headers["Hypex-Signature"]
    assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}", header)
    now = int(time.time())
    assert signature_verify(header=header, body=received.body, secret=rotated.secret, now=now)
    assert signature_verify(header=header, body=received.body, secret=old, now=now)  # the app not switched yet

    # a day later the old secret signs no more
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(previous_secret_expires_at=timezone.now())
    endpoint.refresh_from_db()
    assert endpoint.signing_secrets() == [rotated.secret]


@pytest.mark.django_db
def test_the_readme_snippet_verifies_a_real_delivery(receiver, django_capture_on_commit_callbacks):
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    snippet = re.search(r"```python\n(import hashlib.*?)```", readme, re.S).group(1)
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102 - our own README's code, as an app would paste it
    endpoint = webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        webhook_event_publish(event="order.paid", data={"number": "1"})
    [received] = receiver.received
    ok = namespace["hypex_signature_ok"]
    assert ok(received.body, received.headers["Hypex-Signature"], endpoint.secret)
    assert not ok(received.body + b" ", received.headers["Hypex-Signature"], endpoint.secret)
    assert not ok(received.body, received.headers["Hypex-Signature"], "whsec_wrong")
