"""The search box's page suggestions come from one ranked query over the search index (ADR 54, third
addendum), on SQLite and on PostgreSQL: the same pages Wagtail's backend finds for `.live().public()`
(not the tree's root, no draft, nothing at or under a view restriction), any page type; and a whole
suggestion costs a handful of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from catalogue.search.ranking import page_ids_ranked, page_ids_ranked_by_backend
from catalogue.suggest import search_suggestions
from content.models import CampaignPage, ContentPage
from content.services import site_root_ensure
from tests.catalogue.conftest import product_with_stock
from tests.content.conftest import publish_child

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    home = site_root_ensure()
    found = {
        "guide": publish_child(home, ContentPage(title="Oxford shirt care guide", slug="oxford-care")),
        "campaign": publish_child(home, CampaignPage(title="Oxford week", slug="oxford-week")),
        "plain": home.add_child(instance=Page(title="Oxford stockists", slug="stockists", live=True)),
    }
    draft = home.add_child(instance=Page(title="Draft about Oxford", slug="draft", live=False))
    members = publish_child(home, ContentPage(title="Oxford members area", slug="members"))
    below = publish_child(members, ContentPage(title="Oxford members offers", slug="offers"))
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    hidden = {draft.pk, members.pk, below.pk}
    return {name: page.pk for name, page in found.items()}, hidden


@pytest.mark.parametrize(("query", "autocomplete"), [("oxf", True), ("oxford", True), ("oxford", False)])
def test_the_ranked_pages_are_the_ones_the_backend_finds(pages, query, autocomplete):
    shown, hidden = pages
    ids = page_ids_ranked(query=query, limit=10, autocomplete=autocomplete)
    assert set(ids) == set(shown.values())
    assert not hidden & set(ids)
    assert set(ids) == set(page_ids_ranked_by_backend(query=query, limit=10, autocomplete=autocomplete))


def test_words_only_in_the_body_find_a_page_and_the_limit_holds(pages):
    shown, _hidden = pages
    assert page_ids_ranked(query="stockists", limit=10) == [shown["plain"]]
    assert len(page_ids_ranked(query="oxf", limit=2, autocomplete=True)) == 2
    assert page_ids_ranked(query="%%% ()", limit=10) == []


def test_a_suggestion_reads_products_and_pages_in_a_handful_of_queries(pages):
    product_with_stock("Oxford Shirt")
    search_suggestions(query="stockists")  # content types and the site's root paths into their caches

    with CaptureQueriesContext(connection) as queries:
        suggestions = search_suggestions(query="oxf")

    # products: the ranked ids, their rows; pages: the ranked ids, their rows. Before: the view
    # restrictions, Wagtail's own ranked query per page type and then the specific pages (9 or more).
    assert len(queries) <= 4, [query["sql"] for query in queries]
    assert [item["title"] for item in suggestions["products"]] == ["Oxford Shirt"]
    assert {item["title"] for item in suggestions["pages"]} == {
        "Oxford shirt care guide", "Oxford week", "Oxford stockists"
    }  # fmt: skip
    assert {item["url"] for item in suggestions["pages"]} == {"/oxford-care/", "/oxford-week/", "/stockists/"}
