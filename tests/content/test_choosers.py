"""The product and category choosers in Wagtail's admin, used by a staff editor."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.test.factories import create_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, staff_user):
    client.force_login(staff_user)
    return client


def _results(editor, url: str, **params) -> str:
    response = editor.get(url, params)
    assert response.status_code == 200
    # The modal answers JSON for Wagtail's modal workflow; the results panel answers plain HTML.
    return response.json()["html"] if response["Content-Type"] == "application/json" else response.content.decode()


def test_product_chooser_lists_top_level_products(editor, products):
    html = _results(editor, "/cms/choose-product/")
    assert "Linen Shirt" in html and "Oxford Shirt" in html and "Stoneware Mug" in html


@pytest.mark.parametrize("term", ["linen", "SHIRT-1", "sku-linen"])
def test_product_chooser_finds_a_product_by_title_upc_or_sku(editor, products, term):
    html = _results(editor, "/cms/choose-product/results/", q=term)
    assert "Linen Shirt" in html
    assert "Oxford Shirt" not in html and "Stoneware Mug" not in html


def test_choosing_a_product_returns_its_id_and_a_readable_title(editor, products):
    shirt = products["shirt"]
    response = editor.get(f"/cms/choose-product/chosen/{shirt.pk}/")
    assert response.status_code == 200
    result = response.json()["result"]
    assert result["id"] == str(shirt.pk)
    assert result["title"] == "Linen Shirt · £40.00 · 5 in stock · Published"


def _cells(html: str) -> dict[str, list[str]]:
    """The chooser's table: each row's cell texts by the row's product title, and the header texts."""
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        texts = [
            " ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        rows[texts[1] if len(texts) > 1 else ""] = texts
    return rows


def test_the_product_chooser_shows_thumbnail_price_stock_and_readable_shop_state(editor, products):
    parent = create_product(title="Cotton Tee", structure="parent", upc="TEE", is_public=False)
    create_product(title="Cotton Tee S", parent=parent, price=Decimal("30.00"), num_in_stock=10)
    create_product(title="Cotton Tee L", parent=parent, price=Decimal("40.00"), num_in_stock=20)

    html = _results(editor, "/cms/choose-product/")

    rows = _cells(html)
    assert rows["Title"][1:] == ["Title", "UPC", "Kind", "Price", "Stock", "Shop"]
    assert rows["Cotton Tee"][2:] == ["TEE", "2 variants", "£30.00 – £40.00", "30 in stock", "Hidden"]
    assert rows["Linen Shirt"][2:] == ["SHIRT-1", "Single product", "£40.00", "5 in stock", "Published"]
    assert rows["Oxford Shirt"][4:6] == ["£55.00", "Low: 2 left"]
    assert rows["Stoneware Mug"][5] == "Out of stock"
    assert "True" not in html and "False" not in html
    thumbnails = re.findall(r'<img src="[^"]+" width="40" height="40"[^>]*>', html)
    assert len(thumbnails) == 4  # every row, a placeholder of the same size where a product has no image


def test_the_chooser_lists_any_number_of_products_in_the_same_queries(editor, products):
    def queries() -> int:
        editor.get("/cms/choose-product/results/")  # thumbnails are made once (sorl's store)
        with CaptureQueriesContext(connection) as captured:
            assert editor.get("/cms/choose-product/results/").status_code == 200
        return len(captured)

    few = queries()
    for n in range(12):
        create_product(title=f"Extra {n}", price=Decimal("1.00"), num_in_stock=n)
    assert queries() == few


def test_a_chosen_product_reads_the_same_in_the_page_editor(products):
    from content.blocks import ProductChooserBlock

    widget = ProductChooserBlock().field.widget
    data = widget.get_value_data(products["mug"])

    assert data["title"] == "Stoneware Mug · £12.50 · Out of stock · Published"


def test_category_chooser_searches_by_name(editor, category):
    html = _results(editor, "/cms/choose-category/results/", q="shir")
    assert "Shirts" in html and ">Clothing<" not in html
    assert "Clothing" in _results(editor, "/cms/choose-category/")


def test_choosers_are_for_staff_only(client, user, products):
    client.force_login(user)
    response = client.get("/cms/choose-product/")
    assert response.status_code in (302, 403)
    assert "Linen Shirt" not in response.content.decode()
