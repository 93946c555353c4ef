"""Hostile input answers 400 in the one error format (pages: a 400 page), never 500.

NUL bytes in query strings and paths, non-finite decimals (NaN, Infinity, sNaN), JSON nested 1,000
deep, and query strings over the configured limit (414).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings
from oscar.test.factories import create_order, create_product

from tests.api_errors import assert_api_error
from tests.conftest import auth_header

pytestmark = pytest.mark.django_db

NUL_API_GETS = [
    "/api/v1/products/?q=%00",
    "/api/v1/products/?category=%00",
    "/api/v1/products/?colour=%00",
    "/api/v1/products/?ordering=%00",
    "/api/v1/products/?min_price=%00",
    "/api/v1/products/?page=%00",
    "/api/v1/products/%00/",
    "/api/v1/categories/?x=%00",
    "/api/v1/categories/sh%00irts/",
    "/api/v1/search/suggest/?q=%00%00",
    "/api/v1/basket/?x=%00",
    "/api/v1/basket/shipping-methods/?country=%00",
    "/api/v1/cms/pages/?search=%00",
    "/api/v1/cms/images/?search=%00",
    "/api/v1/support/conversations/?status=%00",
    "/api/v1/orders/?status=%00",
    "/api/v1/orders/%00/",
    "/api/v1/orders/lookup/?number=%00&email=a%00@example.com",
    "/api/v1/me/?x=%00",
    "/api/v1/me/addresses/?x=%00",
]


@pytest.mark.parametrize("url", NUL_API_GETS)
def test_nul_in_an_api_query_or_path_is_a_400_in_the_error_format(api_client, user, url):
    api_client.credentials(**{"HTTP_AUTHORIZATION": auth_header(user)["HTTP_AUTHORIZATION"]})
    assert_api_error(api_client.get(url), 400, "nul_character")


def test_nul_in_a_voucher_code_in_the_path_is_a_400(api_client):
    assert_api_error(api_client.delete("/api/v1/basket/vouchers/SAVE%00/"), 400, "nul_character")


@pytest.mark.parametrize(
    "url",
    ["/catalogue/?q=%00", "/search/?q=%00", "/catalogue/?colour=%00", "/catalogue/?min_price=%00", "/?x=%00", "/x%00/"],
)
def test_nul_in_a_page_query_is_a_400_page(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN", "-sNaN", "1e999999999"])
@pytest.mark.parametrize("param", ["min_price", "max_price"])
def test_non_finite_price_filters_are_a_400(api_client, param, value):
    error = assert_api_error(api_client.get("/api/v1/products/", {param: value}), 400, "validation_error")
    assert param in error["fields"]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "sNaN"])
def test_non_finite_price_filters_on_the_catalogue_page_do_not_500(client, value):
    response = client.get("/catalogue/", {"min_price": value})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN", "nan", "inf"])
def test_non_finite_refund_amount_is_a_400(api_client, staff_user, value):
    product = create_product(price=Decimal("10.00"), num_in_stock=5)
    from oscar.test.factories import create_basket

    basket = create_basket(empty=True)
    basket.add_product(product)
    order = create_order(basket=basket)
    response = api_client.post(
        f"/api/v1/staff/orders/{order.number}/refunds/", {"amount": value}, format="json", **auth_header(staff_user)
    )
    error = assert_api_error(response, 400, "validation_error")
    assert "amount" in error["fields"]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "url", ["/api/v1/basket/lines/", "/api/v1/support/conversations/", "/api/v1/auth/register/", "/api/v1/auth/token/"]
)
@pytest.mark.parametrize("depth", [1000, 100_000])
def test_json_nested_deeper_than_the_limit_is_a_400(api_client, url, depth):
    body = '{"product": ' + _nested(depth) + "}"
    response = api_client.post(url, data=body, content_type="application/json")
    assert_api_error(response, 400, "parse_error")


def test_json_within_the_depth_limit_is_parsed(api_client, settings):
    settings.API_JSON_MAX_DEPTH = 8
    shallow = '{"subject": "Hi", "body": "Hello", "guest_email": "a@example.com", "x": [[[1]]]}'
    response = api_client.post("/api/v1/support/conversations/", data=shallow, content_type="application/json")
    assert response.status_code != 400 or "x" in response.json()["error"].get("fields", {})
    deep = '{"subject": "Hi", "x": ' + _nested(9) + "}"
    response = api_client.post("/api/v1/support/conversations/", data=deep, content_type="application/json")
    assert_api_error(response, 400, "parse_error")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_literals_are_a_parse_error(api_client, literal):
    body = '{"product": 1, "quantity": ' + literal + "}"
    response = api_client.post("/api/v1/basket/lines/", data=body, content_type="application/json")
    assert_api_error(response, 400, "parse_error")


def test_nul_inside_a_json_string_is_a_400(api_client):
    body = '{"subject": "a\\u0000b", "body": "x", "guest_email": "a@example.com"}'
    response = api_client.post("/api/v1/support/conversations/", data=body, content_type="application/json")
    assert_api_error(response, 400, "parse_error")


@override_settings(REQUEST_MAX_QUERY_STRING_BYTES=2048)
def test_an_api_query_string_over_the_limit_is_a_414_in_the_error_format(api_client):
    response = api_client.get("/api/v1/products/?q=" + "a" * 2100)
    assert_api_error(response, 414, "query_string_too_long")


@override_settings(REQUEST_MAX_QUERY_STRING_BYTES=2048)
def test_a_page_query_string_over_the_limit_is_a_414_page(client):
    response = client.get("/catalogue/?q=" + "a" * 2100)
    assert response.status_code == 414
    assert client.get("/catalogue/?q=" + "a" * 100).status_code == 200
