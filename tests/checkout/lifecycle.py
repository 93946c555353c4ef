"""Fixtures for the order lifecycle and payment tests: orders placed through Oscar's OrderCreator."""

from __future__ import annotations

from decimal import Decimal

import pytest


def order_place(*, user=None, quantity: int = 2, price: str = "10.00", num_in_stock: int = 10, voucher=None):
    """Place a real order (Oscar's test factories -> OrderCreator): stock is allocated, lines created."""
    from oscar.apps.partner.strategy import Default
    from oscar.core.loading import get_model
    from oscar.test import factories

    Basket = get_model("basket", "Basket")
    basket = Basket.objects.create(owner=user)
    basket.strategy = Default()
    product = factories.create_product(price=None)
    factories.create_stockrecord(product, num_in_stock=num_in_stock, price=Decimal(price))
    basket.add_product(product, quantity=quantity)
    if voucher is not None:
        basket.vouchers.add(voucher)
        from oscar.apps.offer.applicator import Applicator

        Applicator().apply(basket, user)
    order = factories.create_order(user=user, basket=basket)
    return order


@pytest.fixture
def order(db, user):
    return order_place(user=user)


WEBHOOK_SECRET = "whsec_test_hypex"


@pytest.fixture
def fake_stripe(settings):
    """The Stripe API on loopback, with Hypex configured to use it (and its webhook secret)."""
    from tests.stripe_server import FakeStripe

    server = FakeStripe()
    server.start()
    settings.STRIPE_SECRET_KEY = server.api_key
    settings.STRIPE_API_BASE = server.url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.PAYMENT_GATEWAYS = ["stripe", "dummy"]
    yield server
    server.stop()


def stripe_signed(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header made with Stripe's own scheme (stripe.WebhookSignature)."""
    import time

    import stripe

    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{payload}", secret)
    return f"t={timestamp},v1={signature}"


def stripe_event(event_type: str, intent: dict, *, event_id: str = "evt_1") -> str:
    import json

    return json.dumps({"id": event_id, "object": "event", "type": event_type, "data": {"object": intent}})


def order_pay(order, *, gateway: str = "dummy"):
    """Pay `order` the way a payer would: start with the gateway, then the verified confirmation."""
    from checkout.payment.gateways import gateway_get
    from checkout.payment.models import PaymentAttempt
    from checkout.payment.services import payment_confirm

    action = gateway_get(gateway).payment_start(order=order, request=None)
    attempt = PaymentAttempt.objects.get(token=action.attempt_token)
    if gateway == "stripe":
        return attempt
    assert payment_confirm(attempt=attempt, amount=attempt.amount, currency=attempt.currency) == "paid"
    order.refresh_from_db()
    return attempt


@pytest.fixture
def paid_order(order, dummy_payments):
    order_pay(order)
    return order
