"""Ranked product ids from the search index: the same matches as Wagtail's backend, title hits first,
and typed text never read as full-text query syntax (on SQLite the fast path, elsewhere the backend)."""

import pytest
from oscar.core.loading import get_model
from wagtail.search.backends import get_search_backend

from catalogue.search.ranking import product_ids_ranked
from tests.catalogue.conftest import product_with_stock

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(db):
    made = {
        "red_oxford": product_with_stock("Red Oxford Shirt"),
        "blue_oxford": product_with_stock("Blue Oxford Shirt"),
        "linen": product_with_stock("Linen Trousers", description="Pairs well with a red shirt."),
        "lamp": product_with_stock("Glass Table Lamp"),
    }
    hidden = product_with_stock("Red Hidden Shirt")
    Product.objects.filter(pk=hidden.pk).update(is_public=False)
    return made


@pytest.mark.parametrize("query", ["shirt", "red shirt", "oxford", "lamp", "submarine", "red"])
def test_matches_are_the_search_backends_matches(products, query):
    backend_ids = {p.pk for p in get_search_backend().search(query, Product.objects.browsable(), operator="and")}
    assert set(product_ids_ranked(query=query, limit=100)) == backend_ids


def test_every_word_must_match_and_hidden_products_never_do(products):
    ids = product_ids_ranked(query="red shirt", limit=100)
    assert products["red_oxford"].pk in ids and products["blue_oxford"].pk not in ids
    assert Product.objects.get(title="Red Hidden Shirt").pk not in ids


def test_a_title_hit_ranks_above_a_description_hit(products):
    ids = product_ids_ranked(query="red shirt", limit=100)
    assert ids.index(products["red_oxford"].pk) < ids.index(products["linen"].pk)


def test_the_limit_caps_the_matches(products):
    assert len(product_ids_ranked(query="shirt", limit=1)) == 1


def test_autocomplete_takes_the_last_word_as_a_prefix(products):
    ids = product_ids_ranked(query="oxfo", limit=10, autocomplete=True)
    assert set(ids) == {products["red_oxford"].pk, products["blue_oxford"].pk}


@pytest.mark.parametrize("query", ['shirt" OR "lamp', "NEAR(shirt lamp)", "*", "{title}: lamp", "-", '"', "AND"])
def test_typed_text_is_never_query_syntax(products, query):
    # Read as syntax, the first would find the lamp (OR), the third everything; as words they find nothing.
    assert product_ids_ranked(query=query, limit=10) == []
