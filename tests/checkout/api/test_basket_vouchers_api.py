"""Vouchers and offers on the basket: applied with their name, or refused with the reason."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_order
from rest_framework.test import APIClient

from tests.api_errors import assert_api_error
from tests.checkout.conftest import add_line
from tests.conftest import auth_header

Voucher = get_model("voucher", "Voucher")
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")
pytestmark = pytest.mark.django_db


def _apply(client, code):
    return client.post("/api/v1/basket/vouchers/", {"code": code}, format="json")


def _error_code(response):
    return assert_api_error(response, 400)["code"]


def test_voucher_applies_and_the_basket_shows_the_discount_by_name(api_client, product, make_voucher):
    make_voucher(code="SAVE10", minimum="20.00", percent="10.00", offer_name="Ten percent off")
    add_line(api_client, product, 2)  # 50.00

    response = _apply(api_client, " save10 ")

    assert response.status_code == 201
    body = response.json()
    assert body["vouchers"] == [{"code": "SAVE10", "name": "Voucher SAVE10"}]
    assert body["discounts"] == [
        {"name": "Ten percent off", "description": body["discounts"][0]["description"], "voucher": "SAVE10",
         "amount": "5.00"}
    ]  # fmt: skip
    assert body["total"]["excl_tax"] == "45.00"


def test_voucher_can_be_removed(api_client, product, make_voucher):
    make_voucher(code="SAVE10")
    add_line(api_client, product, 2)
    _apply(api_client, "SAVE10")

    response = api_client.delete("/api/v1/basket/vouchers/SAVE10/")

    assert response.status_code == 200
    assert response.json()["vouchers"] == []
    assert response.json()["total"]["excl_tax"] == "50.00"
    assert _error_code(api_client.delete("/api/v1/basket/vouchers/SAVE10/")) == "voucher_not_found"


def test_unknown_voucher_says_so(api_client, product):
    add_line(api_client, product, 1)
    assert _error_code(_apply(api_client, "NOPE")) == "voucher_not_found"


def test_expired_voucher_says_expired(api_client, product, make_voucher):
    now = timezone.now()
    make_voucher(code="OLD", starts=now - timedelta(days=10), ends=now - timedelta(days=1))
    add_line(api_client, product, 2)
    assert _error_code(_apply(api_client, "OLD")) == "voucher_expired"


def test_future_voucher_says_not_started(api_client, product, make_voucher):
    now = timezone.now()
    make_voucher(code="SOON", starts=now + timedelta(days=1), ends=now + timedelta(days=10))
    add_line(api_client, product, 2)
    assert _error_code(_apply(api_client, "SOON")) == "voucher_not_started"


def test_voucher_below_its_minimum_says_minimum_not_met(api_client, product, make_voucher):
    make_voucher(code="BIG", minimum="100.00")
    add_line(api_client, product, 1)  # 25.00

    response = _apply(api_client, "BIG")

    assert _error_code(response) == "voucher_minimum_not_met"
    assert "100.00" in response.json()["error"]["message"]
    assert api_client.get("/api/v1/basket/").json()["vouchers"] == []


def test_used_single_use_voucher_says_used_up(api_client, user, product, make_voucher):
    voucher = make_voucher(code="ONCE", usage=Voucher.SINGLE_USE)
    voucher.record_usage(create_order(user=user), user)
    add_line(api_client, product, 2)
    assert _error_code(_apply(api_client, "ONCE")) == "voucher_used_up"


def test_once_per_customer_voucher_needs_a_signed_in_customer(api_client, user, product, make_voucher):
    make_voucher(code="MINE", usage=Voucher.ONCE_PER_CUSTOMER)
    add_line(api_client, product, 2)
    assert _error_code(_apply(api_client, "MINE")) == "voucher_sign_in_required"

    client = APIClient()
    add_line(client, product, 2, **auth_header(user))
    response = client.post("/api/v1/basket/vouchers/", {"code": "MINE"}, format="json", **auth_header(user))
    assert response.status_code == 201


def test_voucher_for_other_products_says_not_for_these_products(api_client, product, make_product, make_voucher):
    other = make_product(title="Book")
    books = Range.objects.create(name="Books")
    books.add_product(other)
    make_voucher(code="BOOKS", minimum="1.00", product_range=books)
    add_line(api_client, product, 2)
    assert _error_code(_apply(api_client, "BOOKS")) == "voucher_not_for_these_products"


def test_voucher_already_in_the_basket_says_so(api_client, product, make_voucher):
    make_voucher(code="SAVE10")
    add_line(api_client, product, 2)
    _apply(api_client, "SAVE10")
    assert _error_code(_apply(api_client, "SAVE10")) == "voucher_already_applied"


def test_site_offer_applies_by_itself_and_shows_its_name(api_client, product):
    everything = Range.objects.create(name="All", includes_all_products=True)
    ConditionalOffer.objects.create(
        name="Spring sale",
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=2),
        benefit=Benefit.objects.create(range=everything, type=Benefit.FIXED, value=Decimal("5.00")),
    )

    body = add_line(api_client, product, 2).json()

    assert [(d["name"], d["voucher"], d["amount"]) for d in body["discounts"]] == [("Spring sale", None, "5.00")]
    assert body["total"]["excl_tax"] == "45.00"
    assert body["total_discount"]["excl_tax"] == "5.00"
