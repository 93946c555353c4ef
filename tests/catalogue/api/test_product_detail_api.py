"""GET /api/v1/products/{id}/ and the query budgets of the catalogue API."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model
from oscar.test.factories import create_product, create_stockrecord

from tests.api_errors import assert_api_error

Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(db):
    call_command("seed_demo", products=25, no_history=True, no_progress=True, verbosity=0)


def _parent_with_variants(count: int):
    parent = create_product(title=f"Parent with {count}", structure="parent")
    for index in range(count):
        child = create_product(title=f"Variant {index}", parent=parent, structure="child",
                               product_class=parent.product_class)  # fmt: skip
        create_stockrecord(child, price=Decimal("10.00") + index, num_in_stock=index % 3)
    return parent


def test_detail_has_images_attributes_categories_variants_and_prices(api_client, shop):
    parent = Product.objects.filter(structure="parent").first()
    body = api_client.get(f"/api/v1/products/{parent.pk}/").json()
    assert body["title"] == parent.title and body["structure"] == "parent"
    assert body["images"] and body["images"][0]["thumbnail"].startswith("http")
    assert body["categories"][0]["name"] in {"Shirts", "Knitwear", "Jackets"}
    assert len(body["variants"]) == 4
    variant = body["variants"][0]
    assert {a["code"] for a in variant["attributes"]} == {"colour", "size"}
    assert variant["price"]["currency"] == "GBP" and Decimal(variant["price"]["excl_tax"]) > 0
    assert body["price"]["excl_tax"] == min(v["price"]["excl_tax"] for v in body["variants"])


def test_standalone_product_has_its_own_attributes(api_client, shop):
    book = Product.objects.filter(product_class__name="Book").first()
    body = api_client.get(f"/api/v1/products/{book.pk}/").json()
    assert {a["code"] for a in body["attributes"]} == {"author", "pages"} and body["variants"] == []


def test_unknown_or_child_product_is_404(api_client, shop):
    assert_api_error(api_client.get("/api/v1/products/999999/"), 404, "not_found")
    child = Product.objects.filter(structure="child").first()
    assert_api_error(api_client.get(f"/api/v1/products/{child.pk}/"), 404, "not_found")


def _queries(api_client, url: str) -> int:
    """Queries of an uncached request (anonymous responses are cached: tests/catalogue/test_catalogue_cache.py)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(url).status_code == 200
    return len(captured)


def test_detail_query_count_does_not_grow_with_variants(api_client, db):
    few, many = _parent_with_variants(3), _parent_with_variants(30)
    _queries(api_client, f"/api/v1/products/{few.pk}/")  # warm caches (site, thumbnails)
    assert _queries(api_client, f"/api/v1/products/{few.pk}/") == _queries(api_client, f"/api/v1/products/{many.pk}/")


#: attribute codes, count, the page's products, their and their variants' stock records, tax rate (ADR 57)
LIST_BUDGET = 5


def test_list_query_count_is_the_same_for_10_and_50_products(api_client, db):
    call_command("seed_demo", products=60, no_history=True, no_progress=True, verbosity=0)
    _queries(api_client, "/api/v1/products/?page_size=10")
    small, large = (
        _queries(api_client, "/api/v1/products/?page_size=10"),
        _queries(api_client, "/api/v1/products/?page_size=50"),
    )
    assert small == large <= LIST_BUDGET
