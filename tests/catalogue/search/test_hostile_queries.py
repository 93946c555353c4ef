"""Whatever a shopper or a script types as search words, the list, the suggestions and the search page
answer with a result (or a 4xx), never a 500: no text reaches the full-text engine as its syntax."""

import pytest
from oscar.core.loading import get_model

from tests.catalogue.conftest import product_with_stock

ProductAttribute = get_model("catalogue", "ProductAttribute")

pytestmark = pytest.mark.django_db

HOSTILE = [
    "shirt\x00",
    "\x00",
    "x" * 10_000,  # past the 8 KiB query-string cap: 414 from the middleware
    "x" * 7_000,  # under it: the engine sees it
    "shirt " * 1_100,
    "'shirt'",
    '"shirt',
    "shirt & lamp",
    "shirt | lamp",
    "!shirt",
    "shirt:*",
    "shirt:A",
    "&|!:*()<->",
    "'); DROP TABLE catalogue_product; --",
    "shirt\\",
    "ƒ∂ß 𝔰𝔥𝔦𝔯𝔱 \u200b",
    "_",
]


def _sane(status: int) -> bool:
    return status == 200 or 400 <= status < 500


@pytest.fixture
def products(db):
    return [product_with_stock("Oxford Shirt"), product_with_stock("Glass Lamp")]


@pytest.mark.parametrize("query", HOSTILE)
def test_the_products_api_answers_hostile_words(api_client, products, query):
    response = api_client.get("/api/v1/products/", {"q": query, "facets": "1"})
    assert _sane(response.status_code), response.content[:300]
    if response.status_code == 200:
        titles = {card["title"] for card in response.json()["results"]}
        assert titles <= {"Oxford Shirt"}, "operators in the text are never obeyed (no OR, NOT or wildcard)"


@pytest.mark.parametrize("query", HOSTILE)
def test_suggestions_and_the_search_page_answer_hostile_words(api_client, client, products, query):
    assert _sane(api_client.get("/api/v1/search/suggest/", {"q": query}).status_code)
    assert _sane(client.get("/search/", {"q": query}).status_code)


def test_operators_typed_as_text_find_the_words_only(api_client, products):
    for query in ("shirt:*", "'shirt'", "!shirt", "(shirt)"):
        titles = [card["title"] for card in api_client.get("/api/v1/products/", {"q": query}).json()["results"]]
        assert titles == ["Oxford Shirt"], query


@pytest.fixture
def filterable(products):
    kind = products[0].product_class
    for code in ("colour", "size"):
        ProductAttribute.objects.create(product_class=kind, name=code.title(), code=code, type="text")
    return products


@pytest.mark.parametrize("params", [{"colour": "Red\x00"}, {"category": "\x00"}, {"q": "shirt", "size": "\x00'"}])
def test_a_nul_in_a_filter_finds_nothing_or_is_refused(api_client, client, filterable, params):
    response = api_client.get("/api/v1/products/", {**params, "facets": "1"})
    assert _sane(response.status_code), response.content[:300]
    if response.status_code == 200:
        assert response.json()["count"] == 0
    assert _sane(client.get("/search/", params).status_code)
