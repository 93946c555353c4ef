"""Shoppers browse, filter, sort and search the catalogue on pages (Oscar URLs, Hypex search handler
on Wagtail's search backend; no Haystack)."""

import pytest
from django.db.models import Q
from oscar.core.loading import get_model

from tests.seeded import seeded_shop

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
AttributeOption = get_model("catalogue", "AttributeOption")

pytestmark = pytest.mark.django_db


shop = seeded_shop(products=60, history=False)  # once for the module; every test reads it (tests/seeded.py)


def _titles(response) -> list[str]:
    return [product.get_title() for product in response.context["products"]]


def test_catalogue_lists_every_browsable_product_paginated(client, shop):
    response = client.get("/catalogue/")
    assert response.status_code == 200
    assert response.context["paginator"].count == Product.objects.browsable().count() == 60
    assert len(response.context["products"]) == 20
    assert client.get("/catalogue/?page=3").context["page_obj"].number == 3


def test_search_for_red_shirt_finds_the_red_shirts(client, shop):
    titles = _titles(client.get("/search/", {"q": "red shirt"}))
    assert titles and all("Red" in title and "Shirt" in title for title in titles)
    assert set(titles) == {p.title for p in Product.objects.browsable().filter(title__contains="Red")
                           .filter(title__contains="Shirt")}  # fmt: skip


def test_search_matching_nothing_says_so_and_suggests_categories(client, shop):
    response = client.get("/search/", {"q": "submarine"})
    assert response.context["paginator"].count == 0
    assert b'Nothing matches "submarine"' in response.content
    assert [c.name for c in response.context["suggested_categories"]] == ["Clothing", "Home", "Books"]


def test_category_page_includes_subcategories_and_redirects_to_its_canonical_url(client, shop):
    clothing = Category.objects.get(name="Clothing", depth=1)
    response = client.get(clothing.get_absolute_url())
    assert response.status_code == 200
    assert response.context["paginator"].count == 30
    shirts = Category.objects.get(name="Shirts")
    assert client.get(shirts.get_absolute_url()).context["paginator"].count < 30
    wrong_slug = f"/catalogue/category/wrong_{clothing.pk}/"
    assert client.get(wrong_slug)["Location"] == clothing.get_absolute_url()


def test_filters_by_attribute_of_variants(client, shop):
    titles = _titles(client.get("/catalogue/", {"colour": "Red", "page_size": 100}))
    assert titles and all(title.startswith("Red ") for title in titles)


def test_price_range_and_sorting(client, shop):
    response = client.get("/catalogue/", {"min_price": "20", "max_price": "60", "sort": "price-asc"})
    prices = [product.min_price for product in response.context["products"]]
    assert prices == sorted(prices) and all(20 <= price <= 60 for price in prices)
    descending = [p.min_price for p in client.get("/catalogue/", {"sort": "price-desc"}).context["products"]]
    assert descending == sorted(descending, reverse=True)


def test_in_stock_only_hides_sold_out_products(client, shop):
    sold_out = Product.objects.filter(structure="standalone").first()
    StockRecord.objects.filter(product=sold_out).update(num_in_stock=0)
    titles = _titles(client.get("/catalogue/", {"in_stock": "1", "q": sold_out.title}))
    assert sold_out.title not in titles
    assert sold_out.title in _titles(client.get("/catalogue/", {"q": sold_out.title}))


def test_bad_filter_values_are_form_errors_not_500s(client, shop):
    response = client.get("/catalogue/", {"min_price": "cheap", "sort": "bogus"})
    assert response.status_code == 200
    assert b"Enter a number." in response.content
    assert response.context["paginator"].count == 60


def test_filters_offer_only_values_the_category_can_find(client, shop):
    # Shirts: at 60 demo products its 4 lines carry 6 of the 8 colours (each line starts the colour
    # cycle at its own offset, demodata.builders)
    clothing = Category.objects.get(depth=2, name="Shirts")
    in_clothing = Product.objects.browsable().filter(categories__in=Category.get_tree(clothing))
    expected = set(
        ProductAttributeValue.objects.filter(attribute__code="colour")
        .filter(Q(product__in=in_clothing) | Q(product__parent__in=in_clothing))
        .values_list("value_option__option", flat=True)
    )
    every_colour = set(AttributeOption.objects.filter(group__name="Colour").values_list("option", flat=True))
    assert expected and expected < every_colour  # the colour list has colours that no shirt carries

    filters = {code: options for code, options, _ in client.get(clothing.get_absolute_url()).context["filters"]}
    assert {colour for colour, _count in filters["colour"]} == expected
    for colour, count in filters["colour"]:  # each shows how many products choosing it finds
        assert client.get(clothing.get_absolute_url(), {"colour": colour}).context["paginator"].count == count > 0
