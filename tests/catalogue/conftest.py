"""Fixtures for catalogue tests: products with stock, and orders that make a shopper a purchaser."""

from __future__ import annotations

from decimal import Decimal

import pytest
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test.factories import create_basket, create_order, create_product, create_stockrecord

Order = get_model("order", "Order")


def product_with_stock(title: str, price: str = "20.00", stock: int = 10, **kwargs):
    product = create_product(title=title, **kwargs)
    create_stockrecord(product, price=Decimal(price), num_in_stock=stock)
    return product


def place_order(user, *products, status: str = "Paid"):
    """A real Oscar order (OrderCreator) of one of each product, moved to `status`."""
    basket = create_basket(empty=True)
    basket.strategy = Default()
    for product in products:
        basket.add_product(product)
    order = create_order(basket=basket, user=user)
    Order.objects.filter(pk=order.pk).update(status=status)
    return order


@pytest.fixture
def product(db):
    return product_with_stock("Oxford Shirt")
