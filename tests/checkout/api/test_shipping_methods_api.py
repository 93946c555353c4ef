"""Shipping methods for the basket and a country, with their cost."""

import pytest

from tests.api_errors import assert_api_error
from tests.checkout.conftest import add_line

pytestmark = pytest.mark.django_db


def _methods(client, country):
    response = client.get("/api/v1/basket/shipping-methods/", {"country": country})
    assert response.status_code == 200, response.content
    return {method["code"]: method["cost"]["excl_tax"] for method in response.json()}


def test_methods_for_a_country_with_their_cost(api_client, product, shipping_methods):
    add_line(api_client, product, 2)  # 50.00, two items of 0.5 kg by default

    assert _methods(api_client, "GB") == {"standard": "3.50", "express": "9.95"}
    assert _methods(api_client, "fr") == {"world": "15.00"}


def test_weight_bands_follow_the_basket_weight(api_client, make_product, shipping_methods):
    add_line(api_client, make_product(price="5.00", stock=50), 4)  # 4 x 0.5 kg = 2 kg

    assert _methods(api_client, "GB")["standard"] == "6.95"


def test_express_is_free_over_its_threshold(api_client, product, shipping_methods):
    add_line(api_client, product, 4)  # 100.00

    assert _methods(api_client, "GB")["express"] == "0.00"


def test_country_is_required_and_must_be_one_we_ship_to(api_client, product, shipping_methods):
    add_line(api_client, product, 1)

    response = api_client.get("/api/v1/basket/shipping-methods/")
    assert "country" in assert_api_error(response, 400, "validation_error")["fields"]
    response = api_client.get("/api/v1/basket/shipping-methods/", {"country": "ZZ"})
    assert "country" in assert_api_error(response, 400, "validation_error")["fields"]
