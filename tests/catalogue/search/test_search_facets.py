"""Search results and facet counts as shoppers and apps see them: the page's filter sidebar and the
products API (`facets=1`). A count is what choosing that value would show (ADR 54)."""

import pytest
from oscar.core.loading import get_model

from tests.seeded import seeded_shop

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db

shop = seeded_shop(products=60, history=False)  # once for the module (tests/seeded.py)


def _api(api_client, **params) -> dict:
    response = api_client.get("/api/v1/products/", params)
    assert response.status_code == 200, response.content
    return response.json()


def _titles(body: dict) -> list[str]:
    return [card["title"] for card in body["results"]]


def test_the_list_has_no_facets_unless_asked(api_client, shop):
    body = _api(api_client, q="shirt")
    assert set(body) == {"count", "next", "previous", "results"}
    assert "facets" in _api(api_client, q="shirt", facets="1")


def test_each_colour_count_is_what_choosing_that_colour_finds(api_client, shop):
    facets = _api(api_client, q="shirt", facets="1")["facets"]
    colours = facets["attributes"]["colour"]
    assert len(colours) > 1
    for item in colours:
        assert item["count"] == _api(api_client, q="shirt", colour=item["value"])["count"] > 0


def test_a_chosen_colour_still_counts_the_other_colours(api_client, shop):
    every = {
        item["value"]: item["count"]
        for item in _api(api_client, q="shirt", facets="1")["facets"]["attributes"]["colour"]
    }
    red = "Red" if "Red" in every else sorted(every)[0]

    chosen = _api(api_client, q="shirt", colour=red, facets="1")

    colours = {item["value"]: item["count"] for item in chosen["facets"]["attributes"]["colour"]}
    assert colours == every  # its own filter does not narrow its counts
    sizes = {item["value"]: item["count"] for item in chosen["facets"]["attributes"]["size"]}
    for size, count in sizes.items():  # other facets count within the chosen colour
        assert count == _api(api_client, q="shirt", colour=red, size=size)["count"]


def test_in_stock_and_category_counts_match_their_filters(api_client, shop):
    facets = _api(api_client, q="shirt", facets="1")["facets"]
    assert facets["in_stock"] == _api(api_client, q="shirt", in_stock="1")["count"]
    assert facets["categories"], "shirts are in some top-level category"
    for item in facets["categories"]:
        assert item["count"] == _api(api_client, q="shirt", category=item["value"])["count"]
    clothing = Category.objects.get(depth=1, name="Clothing")
    inside = _api(api_client, category=clothing.slug, facets="1")["facets"]["categories"]
    assert {item["label"] for item in inside} == {c.name for c in clothing.get_children() if c.is_public}


def test_relevance_pages_follow_the_ranking_without_repeats(api_client, shop):
    whole = _titles(_api(api_client, q="shirt", page_size=100))
    paged = []
    for number in range(1, len(whole) // 5 + 2):
        response = api_client.get("/api/v1/products/", {"q": "shirt", "page_size": 5, "page": number})
        if response.status_code == 404:
            break
        paged += _titles(response.json())
    assert paged == whole and len(set(whole)) == len(whole) > 5


def test_a_filtered_search_keeps_the_ranking_order(api_client, shop):
    whole = _titles(_api(api_client, q="shirt", page_size=100))
    red = _titles(_api(api_client, q="shirt", colour="Red", page_size=100))
    assert red and red == [title for title in whole if title in red]


def test_the_sidebar_shows_each_values_count(client, shop):
    response = client.get("/search/", {"q": "shirt"})
    html = response.content.decode()
    colours = dict(next(options for code, options, _ in response.context["filters"] if code == "colour"))
    shown = {colour: count for colour, count in colours.items() if count}
    assert shown
    for colour, count in shown.items():
        assert f">{colour} ({count})</option>" in html
        assert client.get("/search/", {"q": "shirt", "colour": colour}).context["paginator"].count == count
    assert f"In stock only ({response.context['in_stock_count']})" in html


def test_facets_cost_the_same_queries_for_any_page_size(api_client, shop, django_assert_max_num_queries):
    def queries(page_size: int) -> int:
        with django_assert_max_num_queries(30) as counted:
            api_client.get("/api/v1/products/", {"q": "shirt", "facets": "1", "colour": "Red", "page_size": page_size})
        return len(counted)

    queries(3)  # warm: content types, attribute codes
    assert queries(2) == queries(40)
