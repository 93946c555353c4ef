"""Stripe: PaymentIntents through the `stripe` package (client-side confirmation with the client secret).

The order becomes paid on a verified answer only: a `payment_intent.succeeded` webhook whose signature
checks out (`payment.webhooks`), or a PaymentIntent fetched server-side with our secret key
(`payment.services.payment_attempt_sync`). `STRIPE_API_BASE` lets tests point the client at a local server.
"""

from __future__ import annotations

from decimal import Decimal

import stripe
from django.conf import settings

from apibase.money import money_round

from ..attempts import payment_attempt_create
from ..errors import PaymentGatewayNotConfigured, PaymentProviderError
from ..models import PaymentAttempt
from .base import PaymentAction, PaymentGateway

# ISO 4217 currencies Stripe counts in whole units (https://docs.stripe.com/currencies#zero-decimal)
ZERO_DECIMAL = frozenset("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split())


def amount_to_minor(amount: Decimal, currency: str) -> int:
    factor = 1 if currency.upper() in ZERO_DECIMAL else 100
    return int((amount * factor).to_integral_value())


def amount_from_minor(value: int, currency: str) -> Decimal:
    factor = 1 if currency.upper() in ZERO_DECIMAL else 100
    return money_round(Decimal(value) / factor)


def stripe_client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise PaymentGatewayNotConfigured("Stripe is not configured.")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses={"api": settings.STRIPE_API_BASE}, max_network_retries=1
    )


class StripeGateway(PaymentGateway):
    code = "stripe"
    name = "Card (Stripe)"
    description = (
        "You enter your card details in Stripe's secure form on the next page; your card is charged when you confirm."
    )

    def payment_start(self, *, order, request) -> PaymentAction:
        client = stripe_client()  # not configured: refuse before recording an attempt
        attempt = payment_attempt_create(order=order, gateway=self.code)
        try:
            intent = client.v1.payment_intents.create(
                params={
                    "amount": amount_to_minor(attempt.amount, attempt.currency),
                    "currency": attempt.currency.lower(),
                    "automatic_payment_methods": {"enabled": True},
                    "metadata": {"order_number": order.number, "attempt": attempt.token},
                },
                options={"idempotency_key": f"hypex-attempt-{attempt.token}"},
            )
        except stripe.StripeError as exc:
            attempt.status = PaymentAttempt.Status.FAILED
            attempt.failure_reason = f"create: {type(exc).__name__}"[:255]
            attempt.save(update_fields=["status", "failure_reason", "updated_at"])
            raise PaymentProviderError() from exc
        attempt.reference = intent.id
        attempt.save(update_fields=["reference", "updated_at"])
        return PaymentAction(
            gateway=self.code, type="client_secret", client_secret=intent.client_secret, attempt_token=attempt.token
        )

    def intent_fetch(self, *, reference: str):
        try:
            return stripe_client().v1.payment_intents.retrieve(reference)
        except stripe.StripeError as exc:
            raise PaymentProviderError() from exc

    def refund_create(self, *, order, attempt: PaymentAttempt, amount: Decimal, idempotency_key: str) -> str:
        try:
            refund = stripe_client().v1.refunds.create(
                params={
                    "payment_intent": attempt.reference,
                    "amount": amount_to_minor(amount, attempt.currency),
                    "metadata": {"order_number": order.number},
                },
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            raise PaymentProviderError() from exc
        if refund.status not in ("succeeded", "pending"):
            raise PaymentProviderError(f"Stripe refused the refund ({refund.status}).")
        return refund.id
