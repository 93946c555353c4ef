"""Fixtures for basket, checkout and order tests: a product with stock, a signed-in shopper, vouchers; helpers
that add basket lines and build checkout bodies. Shipping methods, `make_product` and `dummy_payments`
are in tests/conftest.py."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_product
from rest_framework.test import APIClient

from tests.conftest import auth_header

Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")

#: a GB guest address as the checkout's shipping-address form takes it (pages)
ADDRESS_FORM = {
    "first_name": "Sam", "last_name": "Guest", "line1": "1 High Street", "line4": "London",
    "postcode": "SW1A 1AA", "country": "GB", "phone_number": "",
}  # fmt: skip


@pytest.fixture
def product(db):
    return create_product(title="Linen Shirt", price=Decimal("25.00"), num_in_stock=10)


@pytest.fixture
def shopper(user):
    """The API client of a signed-in customer (`user`), with a bearer token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=auth_header(user)["HTTP_AUTHORIZATION"])
    return client


@pytest.fixture
def make_voucher(db):
    def make(
        *,
        code="SAVE10",
        minimum="20.00",
        percent="10.00",
        usage=None,
        starts=None,
        ends=None,
        product_range=None,
        offer_name="Ten percent off",
    ):
        if product_range is None:
            product_range, _ = Range.objects.get_or_create(name="Everything", defaults={"includes_all_products": True})
        condition = Condition.objects.create(range=product_range, type=Condition.VALUE, value=Decimal(minimum))
        benefit = Benefit.objects.create(range=product_range, type=Benefit.PERCENTAGE, value=Decimal(percent))
        offer = ConditionalOffer.objects.create(
            name=offer_name, offer_type=ConditionalOffer.VOUCHER, condition=condition, benefit=benefit
        )
        now = timezone.now()
        voucher = Voucher.objects.create(
            code=code,
            name=f"Voucher {code}",
            usage=usage or Voucher.MULTI_USE,
            start_datetime=starts or now - timedelta(days=1),
            end_datetime=ends or now + timedelta(days=30),
        )
        voucher.offers.add(offer)
        return voucher

    return make


def add_line(client, product, quantity=1, **headers):
    return client.post("/api/v1/basket/lines/", {"product": product.pk, "quantity": quantity}, format="json", **headers)


GB_ADDRESS = {
    "first_name": "Sam",
    "last_name": "Shopper",
    "line1": "1 High Street",
    "line4": "London",
    "postcode": "SW1A 1AA",
    "country": "GB",
}


def checkout_body(**overrides) -> dict:
    body = {"shipping_address": GB_ADDRESS, "shipping_method": "express", "payment_method": "dummy"}
    body.update(overrides)
    return body
