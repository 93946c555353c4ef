"""The product and category choosers in Wagtail's admin, used by a staff editor."""

from __future__ import annotations

import pytest

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


def test_choosing_a_product_returns_its_id_and_title(editor, products):
    shirt = products["shirt"]
    response = editor.get(f"/cms/choose-product/chosen/{shirt.pk}/")
    assert response.status_code == 200
    result = response.json()["result"]
    assert result["id"] == str(shirt.pk) and result["title"] == "Linen Shirt"


def test_category_chooser_searches_by_name(editor, category):
    html = _results(editor, "/cms/choose-category/results/", q="shir")
    assert "Shirts" in html and ">Clothing<" not in html
    assert "Clothing" in _results(editor, "/cms/choose-category/")


def test_choosers_are_for_staff_only(client, user, products):
    client.force_login(user)
    response = client.get("/cms/choose-product/")
    assert response.status_code in (302, 403)
    assert "Linen Shirt" not in response.content.decode()
