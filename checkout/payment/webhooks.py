"""Stripe webhooks: verify the signature, process each event id once, act on PaymentIntent events.

- The signature (`Stripe-Signature`, HMAC-SHA256 of "timestamp.payload" with `STRIPE_WEBHOOK_SECRET`)
  must verify and be at most `STRIPE_WEBHOOK_TOLERANCE_SECONDS` (300) old, else `WebhookSignatureInvalid`.
- Each event id is stored in `WebhookEvent` in the same transaction as its effect: a replayed event is
  answered "duplicate" and changes nothing; if processing fails, the record rolls back with it and
  Stripe's retry processes it again.
- `payment_intent.succeeded` -> `payment_confirm` with the amount and currency Stripe reports;
  `payment_intent.payment_failed` / `payment_intent.canceled` -> `payment_fail`; other types are
  recorded and ignored.
"""

from __future__ import annotations

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction

from . import services
from .errors import PaymentGatewayNotConfigured, WebhookSignatureInvalid
from .gateways.stripe import amount_from_minor
from .models import PaymentAttempt, WebhookEvent


def stripe_event_verify(*, payload: bytes, signature: str | None):
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise PaymentGatewayNotConfigured("Stripe webhooks are not configured.")
    if not signature:
        raise WebhookSignatureInvalid()
    try:
        return stripe.Webhook.construct_event(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError as exc:
        raise WebhookSignatureInvalid() from exc
    except ValueError as exc:  # not JSON
        raise WebhookSignatureInvalid("The webhook payload is not valid JSON.", code="webhook_payload_invalid") from exc


def _attempt_for(intent) -> PaymentAttempt | None:
    return PaymentAttempt.objects.filter(gateway="stripe", reference=intent["id"]).select_related("order").first()


def _handle(event) -> str:
    intent = event["data"]["object"]
    if event["type"] == "payment_intent.succeeded":
        attempt = _attempt_for(intent)
        if attempt is None:
            return "unknown_payment"
        currency = str(intent["currency"]).upper()
        return services.payment_confirm(
            attempt=attempt, amount=amount_from_minor(int(intent["amount_received"]), currency), currency=currency
        )
    if event["type"] in ("payment_intent.payment_failed", "payment_intent.canceled"):
        attempt = _attempt_for(intent)
        if attempt is None:
            return "unknown_payment"
        services.payment_fail(attempt=attempt, reason=f"stripe: {event['type']}")
        return "failed"
    return "ignored"


def stripe_webhook_process(*, payload: bytes, signature: str | None) -> str:
    """Verify and process one webhook delivery; returns the outcome ("paid", "duplicate", "ignored", ...)."""
    event = stripe_event_verify(payload=payload, signature=signature)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = WebhookEvent.objects.create(gateway="stripe", event_id=event["id"], event_type=event["type"])
        except IntegrityError:
            return "duplicate"
        try:
            record.outcome = _handle(event)
        except (KeyError, TypeError, ValueError) as exc:  # signed, but not the shape Stripe documents
            raise WebhookSignatureInvalid(
                "The webhook event is missing fields.", code="webhook_payload_invalid"
            ) from exc
        record.save(update_fields=["outcome"])
    return record.outcome
