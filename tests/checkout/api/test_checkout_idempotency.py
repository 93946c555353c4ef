"""Idempotency-Key on checkout: replay, reuse with another body, lifetime."""

from datetime import timedelta

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from tests.api_errors import assert_api_error
from tests.checkout.conftest import add_line, checkout_body

Order = get_model("order", "Order")
IdempotencyKey = get_model("apibase", "IdempotencyKey")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_methods", "dummy_payments")]


def _checkout(client, body, key):
    return client.post("/api/v1/checkout/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_same_key_and_body_replay_the_first_response(api_client, product):
    add_line(api_client, product, 1)
    body = checkout_body(guest_email="g@example.com")
    first = _checkout(api_client, body, "key-1")

    replay = _checkout(api_client, body, "key-1")

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1


def test_same_key_with_another_body_is_422(api_client, product):
    add_line(api_client, product, 1)
    _checkout(api_client, checkout_body(guest_email="g@example.com"), "key-2")

    response = _checkout(api_client, checkout_body(guest_email="other@example.com"), "key-2")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"


def test_a_refusal_is_replayed_too(api_client, product):
    add_line(api_client, product, 1)
    first = _checkout(api_client, checkout_body(), "key-3")  # no guest email

    replay = _checkout(api_client, checkout_body(), "key-3")

    assert "guest_email" in assert_api_error(first, 400, "validation_error")["fields"]
    assert_api_error(replay, 400, "validation_error")
    assert replay.json() == first.json()


def test_key_older_than_a_day_starts_afresh(api_client, product):
    add_line(api_client, product, 1)
    _checkout(api_client, checkout_body(), "key-4")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))

    response = _checkout(api_client, checkout_body(guest_email="g@example.com"), "key-4")

    assert response.status_code == 201


def test_keys_are_per_client(api_client, product, make_product):
    from rest_framework.test import APIClient

    add_line(api_client, product, 1)
    other = APIClient()
    add_line(other, make_product(title="Other"), 1)
    body = checkout_body(guest_email="g@example.com")

    first = _checkout(api_client, body, "same-key")
    second = _checkout(other, body, "same-key")

    assert first.status_code == second.status_code == 201
    assert first.json()["order"]["number"] != second.json()["order"]["number"]


def test_overlong_key_is_refused(api_client, product):
    add_line(api_client, product, 1)
    response = _checkout(api_client, checkout_body(guest_email="g@example.com"), "k" * 256)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "idempotency_key_invalid"


def test_hourly_task_deletes_keys_older_than_a_day(api_client, product):
    from apibase.tasks import idempotency_keys_expire

    add_line(api_client, product, 1)
    _checkout(api_client, checkout_body(), "old")
    _checkout(api_client, checkout_body(), "new")
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))

    idempotency_keys_expire.call_local()

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_an_address_refusal_is_stored_and_replayed(api_client, product):
    from tests.checkout.conftest import GB_ADDRESS

    add_line(api_client, product, 1)
    body = checkout_body(guest_email="g@example.com", shipping_address={**GB_ADDRESS, "postcode": "NOPE"})
    first = _checkout(api_client, body, "key-5")

    replay = _checkout(api_client, body, "key-5")

    assert_api_error(first, 400, "validation_error")
    assert_api_error(replay, 400, "validation_error")
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
