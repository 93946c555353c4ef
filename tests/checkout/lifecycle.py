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


@pytest.fixture
def dummy_only(settings):
    settings.PAYMENT_GATEWAYS = ["dummy"]
