"""GET /api/v1/products/: the storefront's handler through the API, in the project's error format."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from tests.api_errors import assert_api_error
from tests.seeded import seeded_shop

Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db
URL = "/api/v1/products/"


shop = seeded_shop(products=40, history=False)  # once for the module; every test reads it (tests/seeded.py)


def test_list_is_paginated_with_money_as_decimal_strings(api_client, shop):
    body = api_client.get(URL).json()
    assert body["count"] == 40 and len(body["results"]) == 20 and body["next"].endswith("page=2")
    price = body["results"][0]["price"]
    assert price["currency"] == "GBP" and Decimal(price["excl_tax"]) > 0
    assert len(api_client.get(URL, {"page_size": 1000}).json()["results"]) == 40  # capped at 100


def test_api_and_pages_list_the_same_products_in_the_same_order(api_client, client, shop):
    params = {"q": "red shirt", "ordering": "price-asc"}
    api_titles = [card["title"] for card in api_client.get(URL, params).json()["results"]]
    page_titles = [p.get_title() for p in client.get("/search/", {"q": "red shirt", "sort": "price-asc"})
                   .context["products"]]  # fmt: skip
    assert api_titles == page_titles and api_titles


def test_filters_category_price_stock_and_attributes(api_client, shop):
    books = api_client.get(URL, {"category": "books", "page_size": 100}).json()["results"]
    assert books and all(card["structure"] == "standalone" for card in books)
    cheap = api_client.get(URL, {"max_price": "20", "page_size": 100}).json()["results"]
    assert all(Decimal(card["price"]["excl_tax"]) <= 20 for card in cheap)
    red = api_client.get(URL, {"colour": "Red", "page_size": 100}).json()["results"]
    assert red and all(card["title"].startswith("Red ") for card in red)
    assert all(card["is_available"] for card in api_client.get(URL, {"in_stock": "1"}).json()["results"])


@pytest.mark.parametrize(
    ("params", "field"),
    [({"min_price": "cheap"}, "min_price"), ({"ordering": "bogus"}, "ordering"), ({"category": "nope"}, "category")],
)
def test_bad_parameters_are_400_with_the_field(api_client, shop, params, field):
    response = api_client.get(URL, params)
    assert field in assert_api_error(response, 400, "validation_error")["fields"]


def test_page_out_of_range_is_404(api_client, shop):
    response = api_client.get(URL, {"page": 99})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
