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


@pytest.mark.parametrize(
    "chosen",
    [
        {},
        {"colour": "Red"},
        {"colour": "Red", "size": "M", "in_stock": "1"},
        {"in_stock": "1", "min_price": "1"},
    ],
)
def test_all_facet_counts_take_two_queries_whatever_is_chosen(api_client, shop, chosen, django_assert_max_num_queries):
    """One statement counts every facet (attributes with and without their own filter, in stock,
    categories) and one reads the categories to count: the list with facets costs two queries more."""

    def queries(**params) -> int:
        with django_assert_max_num_queries(30) as counted:
            assert api_client.get("/api/v1/products/", {"q": "shirt", **chosen, **params}).status_code == 200
        return len(counted)

    queries(facets="1")  # warm: content types, attribute codes
    assert queries(facets="1", page_size=7) - queries(page_size=7) == 2


def test_counts_with_several_filters_chosen_are_what_each_choice_shows(api_client, shop):
    """Each facet skips only its own filter: with colour, in stock and a category chosen, every count is
    the list's count with that value chosen instead."""
    clothing = Category.objects.get(depth=1, name="Clothing")
    chosen = {"q": "shirt", "colour": "Red", "in_stock": "1", "category": clothing.slug}
    facets = _api(api_client, **chosen, facets="1")["facets"]
    assert len(facets["attributes"]["colour"]) > 1 and facets["attributes"]["size"] and facets["categories"]
    for item in facets["attributes"]["colour"]:
        assert item["count"] == _api(api_client, **{**chosen, "colour": item["value"]})["count"]
    for item in facets["attributes"]["size"]:
        assert item["count"] == _api(api_client, **chosen, size=item["value"])["count"]
    without_stock = {key: value for key, value in chosen.items() if key != "in_stock"}
    assert facets["in_stock"] == _api(api_client, **without_stock, in_stock="1")["count"]
    for item in facets["categories"]:
        assert item["count"] == _api(api_client, **{**chosen, "category": item["value"]})["count"]


def test_a_relevance_page_follows_the_ranking(api_client, shop):
    """The API pages the ranked ids without reading the products twice: the order is the ranking's."""
    from catalogue.search.ranking import product_ids_ranked

    ranked = product_ids_ranked(query="shirt", limit=1000)
    first = [card["id"] for card in _api(api_client, q="shirt", page_size=7)["results"]]
    second = [card["id"] for card in _api(api_client, q="shirt", page_size=7, page=2)["results"]]
    assert first + second == ranked[:14]
