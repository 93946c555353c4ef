"""Stripe: PaymentIntents against a local Stripe API, and the signed webhook (table of cases)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from checkout.payment.errors import PaymentGatewayNotConfigured, PaymentProviderError
from checkout.payment.gateways import gateway_get
from checkout.payment.models import PaymentAttempt, WebhookEvent
from tests.checkout.lifecycle import stripe_event, stripe_signed

WEBHOOK = "/api/v1/payments/webhooks/stripe/"


def _start(order, fake_stripe) -> tuple[PaymentAttempt, dict]:
    action = gateway_get("stripe").payment_start(order=order, request=None)
    attempt = PaymentAttempt.objects.get(token=action.attempt_token)
    return attempt, fake_stripe.intents[attempt.reference]


def _post(client, payload: str, signature: str | None):
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return client.post(WEBHOOK, data=payload, content_type="application/json", **headers)


def test_stripe_payment_start_creates_a_payment_intent_for_the_order_total(order, fake_stripe):
    action = gateway_get("stripe").payment_start(order=order, request=None)

    attempt = PaymentAttempt.objects.get(order=order)
    intent = fake_stripe.intents[attempt.reference]
    assert action.type == "client_secret" and action.redirect_url == ""
    assert action.client_secret == intent["client_secret"]
    assert (intent["amount"], intent["currency"]) == (2000, order.currency.lower())
    assert intent["metadata"]["order_number"] == str(order.number)
    assert order.status == "Pending payment"  # starting is not paying


def test_stripe_unreachable_at_start_is_a_502_in_the_error_format(order, fake_stripe):
    fake_stripe.fail_with = 500

    with pytest.raises(PaymentProviderError) as error:
        gateway_get("stripe").payment_start(order=order, request=None)

    assert error.value.status_code == 502
    assert PaymentAttempt.objects.get(order=order).status == "failed"


def _succeeded(fake_stripe, intent, **kwargs):
    return fake_stripe.succeed(intent["id"], **kwargs)


@pytest.mark.parametrize(
    ("case", "status", "body", "order_status"),
    [
        ("valid", 200, {"outcome": "paid"}, "Paid"),
        ("bad_signature", 400, "webhook_signature_invalid", "Pending payment"),
        ("wrong_secret", 400, "webhook_signature_invalid", "Pending payment"),
        ("old_timestamp", 400, "webhook_signature_invalid", "Pending payment"),
        ("missing_signature", 400, "webhook_signature_invalid", "Pending payment"),
        ("not_json", 400, "webhook_payload_invalid", "Pending payment"),
        ("replay", 200, {"outcome": "duplicate"}, "Paid"),
        ("unknown_event", 200, {"outcome": "ignored"}, "Pending payment"),
        ("unknown_intent", 200, {"outcome": "unknown_payment"}, "Pending payment"),
        ("amount_mismatch", 200, {"outcome": "mismatch"}, "Pending payment"),
        ("currency_mismatch", 200, {"outcome": "mismatch"}, "Pending payment"),
        ("payment_failed", 200, {"outcome": "failed"}, "Pending payment"),
        ("malformed_event", 400, "webhook_payload_invalid", "Pending payment"),
    ],
)
def test_stripe_webhook(order, fake_stripe, client, case, status, body, order_status):
    attempt, intent = _start(order, fake_stripe)
    event_type = "payment_intent.succeeded"
    intent = _succeeded(fake_stripe, intent)
    payload_intent = dict(intent)
    if case == "unknown_event":
        event_type = "customer.created"
    elif case == "unknown_intent":
        payload_intent["id"] = "pi_someone_else"
    elif case == "amount_mismatch":
        payload_intent["amount_received"] = 1999
    elif case == "currency_mismatch":
        payload_intent["currency"] = "usd" if order.currency != "USD" else "eur"
    elif case == "payment_failed":
        event_type = "payment_intent.payment_failed"
    elif case == "malformed_event":
        del payload_intent["amount_received"]
    payload = stripe_event(event_type, payload_intent)
    signature = stripe_signed(payload)
    if case == "bad_signature":
        signature = signature[:-4] + "0000"
    elif case == "wrong_secret":
        signature = stripe_signed(payload, secret="whsec_attacker")
    elif case == "old_timestamp":
        signature = stripe_signed(payload, timestamp=int(time.time()) - 301)
    elif case == "missing_signature":
        signature = None
    elif case == "not_json":
        payload = "{not json"
        signature = stripe_signed(payload)
    elif case == "replay":
        assert _post(client, payload, signature).json() == {"outcome": "paid"}

    response = _post(client, payload, signature)

    assert response.status_code == status
    if isinstance(body, dict):
        assert response.json() == body
    else:
        assert response.json()["error"]["code"] == body
    order.refresh_from_db()
    assert order.status == order_status
    assert order.payment_events.count() == (1 if order_status == "Paid" else 0)
    assert order.status_changes.filter(new_status="Paid").count() == (1 if order_status == "Paid" else 0)
    if status == 400:
        assert not WebhookEvent.objects.exists()


def test_webhooks_unconfigured_answer_503(order, fake_stripe, client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = _post(client, "{}", "t=1,v1=abc")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "payment_gateway_not_configured"


def test_return_callback_then_webhook_pays_once(order, fake_stripe, client):
    attempt, intent = _start(order, fake_stripe)
    _succeeded(fake_stripe, intent)

    page = client.get(f"/payments/stripe/return/?payment_intent={intent['id']}")
    payload = stripe_event("payment_intent.succeeded", intent, event_id="evt_late")
    webhook = _post(client, payload, stripe_signed(payload))

    order.refresh_from_db()
    assert page.status_code == 200 and b"Payment approved" in page.content
    assert webhook.json() == {"outcome": "duplicate"}
    assert order.status == "Paid"
    assert order.payment_events.count() == 1
    assert order.sources.get().amount_debited == Decimal("20.00")


def test_webhook_then_return_callback_pays_once(order, fake_stripe, client):
    attempt, intent = _start(order, fake_stripe)
    _succeeded(fake_stripe, intent)
    payload = stripe_event("payment_intent.succeeded", intent)

    assert _post(client, payload, stripe_signed(payload)).json() == {"outcome": "paid"}
    page = client.get(f"/payments/stripe/return/?payment_intent={intent['id']}")

    order.refresh_from_db()
    assert b"already recorded" in page.content
    assert order.payment_events.count() == 1


def test_return_callback_does_not_trust_the_browser(order, fake_stripe, client):
    attempt, intent = _start(order, fake_stripe)  # Stripe says: not paid yet

    page = client.get(f"/payments/stripe/return/?payment_intent={intent['id']}&redirect_status=succeeded")

    order.refresh_from_db()
    assert b"still being processed" in page.content
    assert order.status == "Pending payment"
    assert client.get("/payments/stripe/return/?payment_intent=pi_forged").status_code == 404


def test_return_page_when_stripe_is_unreachable_says_so_without_a_500(order, fake_stripe, client):
    attempt, intent = _start(order, fake_stripe)
    fake_stripe.fail_with = 503

    page = client.get(f"/payments/stripe/return/?payment_intent={intent['id']}")

    assert page.status_code == 502
    assert b"could not check the payment" in page.content


def test_stripe_without_keys_refuses_before_recording_an_attempt(order, settings):
    settings.PAYMENT_GATEWAYS = ["stripe"]
    settings.STRIPE_SECRET_KEY = ""

    with pytest.raises(PaymentGatewayNotConfigured):
        gateway_get("stripe").payment_start(order=order, request=None)

    assert not PaymentAttempt.objects.exists()


def test_a_failed_try_then_success_on_the_same_intent_pays(order, fake_stripe, client):
    attempt, intent = _start(order, fake_stripe)
    failed = stripe_event("payment_intent.payment_failed", intent, event_id="evt_failed")
    assert _post(client, failed, stripe_signed(failed)).json() == {"outcome": "failed"}

    succeeded = stripe_event("payment_intent.succeeded", _succeeded(fake_stripe, intent), event_id="evt_ok")
    response = _post(client, succeeded, stripe_signed(succeeded))

    order.refresh_from_db()
    assert response.json() == {"outcome": "paid"}
    assert order.status == "Paid"


def test_a_late_failure_event_does_not_undo_a_payment(order, fake_stripe, client):
    attempt, intent = _start(order, fake_stripe)
    succeeded = stripe_event("payment_intent.succeeded", _succeeded(fake_stripe, intent), event_id="evt_ok")
    _post(client, succeeded, stripe_signed(succeeded))

    failed = stripe_event("payment_intent.payment_failed", intent, event_id="evt_failed_late")
    _post(client, failed, stripe_signed(failed))

    order.refresh_from_db()
    attempt.refresh_from_db()
    assert (order.status, attempt.status) == ("Paid", "succeeded")


def test_card_page_mounts_stripes_form_with_the_intents_secret_and_our_return_url(order, fake_stripe, client, settings):
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_hypex"
    attempt, intent = _start(order, fake_stripe)

    page = client.get(f"/payments/stripe/{attempt.token}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-client-secret="{intent["client_secret"]}"' in html
    assert 'data-publishable-key="pk_test_hypex"' in html
    assert 'data-return-url="http://testserver/payments/stripe/return/"' in html


def test_card_page_is_gone_without_a_publishable_key_or_for_an_unknown_attempt(order, fake_stripe, client, settings):
    attempt, _ = _start(order, fake_stripe)
    settings.STRIPE_PUBLISHABLE_KEY = ""
    assert client.get(f"/payments/stripe/{attempt.token}/").status_code == 404
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_hypex"
    assert client.get("/payments/stripe/not-a-token/").status_code == 404
