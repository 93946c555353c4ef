"""Fixtures for returns: delivered orders (paid with the dummy gateway, shipped, delivered) with two
lines, for a customer and for a guest."""

from __future__ import annotations

from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test import factories

from checkout.order.services import order_shipping_event_add, order_status_set
from checkout.order.statuses import DELIVERED
from checkout.returns.models import ReturnReason
from tests.checkout.lifecycle import order_pay

Basket = get_model("basket", "Basket")

GUEST_EMAIL = "guest@example.com"


def delivered_order_place(*, user=None, lines=((2, "10.00"), (1, "25.00")), num_in_stock: int = 10):
    """A real order (OrderCreator) of one product per (quantity, price), paid, shipped and delivered."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Default()
    for quantity, price in lines:
        product = factories.create_product(price=None)
        factories.create_stockrecord(product, num_in_stock=num_in_stock, price=Decimal(price))
        basket.add_product(product, quantity=quantity)
    order = factories.create_order(user=user, basket=basket)
    if user is None:
        order.guest_email = GUEST_EMAIL
        order.save(update_fields=["guest_email"])
    order_pay(order)
    order_shipping_event_add(order=order, carrier="DHL", tracking_number="JD0001")
    order_status_set(order=order, status=DELIVERED)
    order.refresh_from_db()
    return order


@pytest.fixture
def delivered_order(db, user, dummy_payments):
    return delivered_order_place(user=user)


@pytest.fixture
def guest_order(db, dummy_payments):
    return delivered_order_place(user=None)


@pytest.fixture(autouse=True)
def reasons(db):
    """The policy (30 days) and the reasons (changed-mind carries a 10% restocking fee), by code. The data
    migration made them; a transactional test's reset (tests/database_reset.py) removes rows migrations
    made, so every returns test puts them back first, as the migration does (idempotent)."""
    defaults = import_module("checkout.returns.migrations.0002_default_policy_and_reasons")
    defaults.create_defaults(django_apps, None)
    return {reason.code: reason for reason in ReturnReason.objects.all()}
