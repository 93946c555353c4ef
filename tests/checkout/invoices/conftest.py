"""Fixtures for invoices and credit notes: a GB order taxed at 20% through the checkout API, paid through
the dummy gateway, and the merchant's contact settings in the CMS."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model
from oscar.test.factories import create_product
from rest_framework.test import APIClient
from wagtail.models import Site

from content.snippets import SiteContactSettings
from tests.checkout.conftest import add_line, checkout_body
from tests.checkout.lifecycle import order, order_pay, paid_order  # noqa: F401
from tests.conftest import auth_header

Order = get_model("order", "Order")
TaxRate = get_model("checkout", "TaxRate")
User = get_user_model()


@pytest.fixture
def merchant(db):
    site = Site.objects.get(is_default_site=True)
    contact, _ = SiteContactSettings.objects.get_or_create(site=site)
    contact.address = "Hypex Ltd\n12 Market Street\nLondon EC1A 1BB"
    contact.email = "accounts@hypex.example"
    contact.phone = "+44 20 7946 0000"
    contact.save()
    return contact


@pytest.fixture
def gb_vat(countries):
    return TaxRate.objects.create(country_id="GB", rate=Decimal("0.20"), name="VAT")


def taxed_order_place(client, *, user=None, quantity: int = 2, price: str = "25.00", title: str = "Linen Shirt"):
    """An order shipped to GB (20% VAT, prices entered without tax) placed through the checkout API."""
    product = create_product(title=title, price=Decimal(price), num_in_stock=10)
    headers = auth_header(user) if user is not None else {}
    assert add_line(client, product, quantity, **headers).status_code in (200, 201)
    body = checkout_body() if user is not None else checkout_body(guest_email="guest@example.com")
    response = client.post("/api/v1/checkout/", body, format="json", **headers)
    assert response.status_code == 201, response.content
    return Order.objects.get(number=response.json()["order"]["number"])


@pytest.fixture
def taxed_paid_order(db, user, merchant, gb_vat, shipping_methods, dummy_payments, settings):
    """Two Linen Shirts at £25.00 + 20% VAT, express shipping £9.95 + 20%: £71.94 paid by `user`."""
    settings.SHOP_PRICES_INCLUDE_TAX = False
    placed = taxed_order_place(APIClient(), user=user)
    order_pay(placed)
    return placed


@pytest.fixture
def guest_paid_order(db, merchant, gb_vat, shipping_methods, dummy_payments, settings):
    """The same order placed and paid by a guest (guest@example.com)."""
    settings.SHOP_PRICES_INCLUDE_TAX = False
    placed = taxed_order_place(APIClient(), title="Wool Scarf")
    order_pay(placed)
    return placed


@pytest.fixture
def other_user(db):
    return User.objects.create_user(email="someone.else@example.com", password="x-Secret-123")
