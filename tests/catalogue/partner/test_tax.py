"""Tax per country set by the merchant (the pricing strategy, catalogue/partner/strategy.py): the same on
product pages, in the API and on the order."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from tests.checkout.conftest import add_line, checkout_body
from tests.conftest import auth_header

TaxRate = get_model("checkout", "TaxRate")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_methods", "dummy_payments")]


@pytest.fixture
def product(make_product):
    """A 25.00 shirt: the amounts below follow from its price (tests/catalogue's `product` costs 20.00)."""
    return make_product(title="Linen Shirt", price="25.00")


@pytest.fixture
def gb_vat(countries):
    return TaxRate.objects.create(country_id="GB", rate=Decimal("0.20"), name="VAT")


@pytest.fixture(autouse=True)
def prices_entered_without_tax(settings):
    """These tests enter prices without tax unless one says otherwise (the shop's default includes it)."""
    settings.SHOP_PRICES_INCLUDE_TAX = False


def test_without_a_rate_prices_are_tax_free(api_client, product):
    price = api_client.get(f"/api/v1/products/{product.pk}/").json()["price"]
    assert (price["excl_tax"], price["incl_tax"]) == ("25.00", "25.00")


def test_rate_is_added_to_prices_entered_without_tax_everywhere(api_client, client, product, gb_vat):
    assert api_client.get(f"/api/v1/products/{product.pk}/").json()["price"] == {
        "currency": "GBP", "excl_tax": "25.00", "incl_tax": "30.00"
    }  # fmt: skip
    assert "£30.00" in client.get(product.get_absolute_url()).content.decode()

    basket = add_line(api_client, product, 2).json()
    assert basket["lines"][0]["unit_price"] == {"currency": "GBP", "excl_tax": "25.00", "incl_tax": "30.00"}
    assert basket["total"] == {"currency": "GBP", "excl_tax": "50.00", "incl_tax": "60.00"}

    order = api_client.post("/api/v1/checkout/", checkout_body(guest_email="t@example.com"), format="json").json()
    assert order["order"]["lines"][0]["unit_price"]["incl_tax"] == "30.00"
    assert order["order"]["totals"]["lines"] == {"currency": "GBP", "excl_tax": "50.00", "incl_tax": "60.00"}
    assert order["order"]["totals"]["tax"] == "11.99"  # lines 10.00, express shipping 9.95 at 20%: 1.99


def test_prices_entered_with_tax_are_split_into_net_and_tax(api_client, make_product, gb_vat, settings):
    settings.SHOP_PRICES_INCLUDE_TAX = True
    product = make_product(price="24.00")

    price = api_client.get(f"/api/v1/products/{product.pk}/").json()["price"]

    assert (price["excl_tax"], price["incl_tax"]) == ("20.00", "24.00")


def test_customer_living_elsewhere_pays_their_countrys_rate(user, product, gb_vat):
    TaxRate.objects.create(country_id="FR", rate=Decimal("0.10"), name="TVA")
    UserAddress.objects.create(
        user=user, line1="1 Rue", line4="Paris", postcode="75001", country=Country.objects.get(iso_3166_1_a2="FR"),
        is_default_for_shipping=True,
    )  # fmt: skip

    price = APIClient().get(f"/api/v1/products/{product.pk}/", **auth_header(user)).json()["price"]

    assert price["incl_tax"] == "27.50"
