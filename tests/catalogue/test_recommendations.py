"""GET /api/v1/products/{id}/recommendations/: also bought from order lines, else the same category."""

import pytest
from django.contrib.auth import get_user_model
from oscar.apps.catalogue.categories import create_from_breadcrumbs

from tests.catalogue.conftest import place_order, product_with_stock

pytestmark = pytest.mark.django_db


def _shopper(email: str):
    return get_user_model().objects.create_user(email=email, password="x-long-pass-1")


def test_products_bought_together_come_first_most_orders_first(api_client):
    shirt, mug, lamp, book = (product_with_stock(title) for title in ("Shirt", "Mug", "Lamp", "Book"))
    place_order(_shopper("a@x.test"), shirt, mug, lamp)
    place_order(_shopper("b@x.test"), shirt, lamp)
    place_order(_shopper("c@x.test"), book, mug)  # without the shirt: does not count for it
    body = api_client.get(f"/api/v1/products/{shirt.pk}/recommendations/").json()
    assert [(item["title"], item["reason"]) for item in body] == [("Lamp", "also_bought"), ("Mug", "also_bought")]
    assert body[0]["price"]["currency"] == "GBP"


def test_a_variant_bought_counts_for_its_parent(api_client):
    parent = product_with_stock("Jacket", structure="parent")
    child = product_with_stock("Jacket, M", parent=parent, structure="child", product_class=parent.product_class)
    mug = product_with_stock("Mug")
    place_order(_shopper("a@x.test"), child, mug)
    assert [item["title"] for item in api_client.get(f"/api/v1/products/{mug.pk}/recommendations/").json()] == [
        "Jacket"
    ]
    assert [item["title"] for item in api_client.get(f"/api/v1/products/{parent.pk}/recommendations/").json()] == [
        "Mug"
    ]


def test_without_orders_the_same_category_fills_in(api_client):
    shirts = create_from_breadcrumbs("Clothing > Shirts")
    shirt, other, elsewhere = product_with_stock("Shirt"), product_with_stock("Linen Shirt"), product_with_stock("Mug")
    shirt.categories.add(shirts)
    other.categories.add(shirts)
    body = api_client.get(f"/api/v1/products/{shirt.pk}/recommendations/").json()
    assert [(item["title"], item["reason"]) for item in body] == [("Linen Shirt", "same_category")]
    assert elsewhere.title not in {item["title"] for item in body}


def test_unknown_product_is_404(api_client, db):
    response = api_client.get("/api/v1/products/999999/recommendations/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
