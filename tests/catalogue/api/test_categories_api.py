"""GET /api/v1/categories/ (the tree with counts) and /api/v1/categories/{slug}/."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from tests.api_errors import assert_api_error

Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(db):
    call_command("seed_demo", products=25, no_history=True, no_progress=True, verbosity=0)


def test_tree_with_counts_that_include_subcategories(api_client, shop):
    tree = api_client.get("/api/v1/categories/").json()
    assert [node["name"] for node in tree] == ["Clothing", "Home", "Books"]
    clothing = tree[0]
    assert [child["name"] for child in clothing["children"]] == ["Shirts", "Knitwear", "Jackets"]
    assert clothing["product_count"] == sum(child["product_count"] for child in clothing["children"]) == 10
    assert sum(node["product_count"] for node in tree) == Product.objects.browsable().count() == 25


def test_hidden_products_are_not_counted(api_client, shop):
    shirt = Product.objects.filter(categories__name="Shirts").first()
    shirt.is_public = False
    shirt.save()
    shirts = api_client.get("/api/v1/categories/shirts/").json()
    assert shirts["product_count"] == 3


def test_category_by_slug_with_breadcrumbs(api_client, shop):
    body = api_client.get("/api/v1/categories/knitwear/").json()
    assert body["name"] == "Knitwear" and body["breadcrumbs"] == [{"name": "Clothing", "slug": "clothing"}]
    assert_api_error(api_client.get("/api/v1/categories/nope/"), 404, "not_found")


def test_tree_costs_the_same_queries_whatever_the_catalogue_size(api_client, db):
    call_command("seed_demo", products=5, no_history=True, no_progress=True, verbosity=0)
    with CaptureQueriesContext(connection) as small:
        api_client.get("/api/v1/categories/")
    call_command("seed_demo", products=40, no_history=True, no_progress=True, verbosity=0)
    with CaptureQueriesContext(connection) as large:
        api_client.get("/api/v1/categories/")
    assert len(small) == len(large)
