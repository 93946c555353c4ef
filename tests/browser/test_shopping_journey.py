"""A shopper opens the home page, searches (with suggestions), filters a category, opens a product,
picks a variant, adds it to the basket, and the mini-basket shows it - in a real Chromium."""

import re

import pytest
from oscar.core.loading import get_model

from tests.browser.conftest import demo_shop_seed

Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop(db):
    demo_shop_seed(60, history=False)


def test_shopper_finds_a_shirt_picks_a_size_and_sees_it_in_the_mini_basket(page, shop):
    page.goto("/")
    search = page.locator("#hx-search-q")

    # Type-ahead: a few letters bring product suggestions under the box.
    search.press_sequentially("oxfo", delay=40)
    suggestions = page.locator("#hx-search-suggestions")
    suggestions.locator("[role=option]").first.wait_for()
    assert "Oxford" in suggestions.inner_text()
    search.fill("red shirt")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=red\+shirt"))
    results = page.locator(".product_pod h3")
    assert results.count() > 0 and all("Red" in t and "Shirt" in t for t in results.all_inner_texts())

    # The home page's category tiles lead to a category; the filters narrow it to one colour.
    page.goto("/")
    page.locator(".hx-category-tile a", has_text="Clothing").first.click()
    page.wait_for_url(re.compile(r"/catalogue/category/"))
    page.select_option("#filter-colour", "Red")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"colour=Red"))
    titles = page.locator(".product_pod h3").all_inner_texts()
    assert titles and all("Red" in title for title in titles)

    # A product with sizes: nothing can be added until a size is chosen.
    page.locator(".product_pod h3 a", has_text="Shirt").first.click()
    page.wait_for_selector("[data-variant-picker]")
    title = page.locator("h1").inner_text()
    assert page.locator("#add-to-basket-button").is_disabled()
    page.locator("[data-variant-picker] a:not(.hypex-unavailable)").first.click()
    page.wait_for_function("!document.querySelector('#add-to-basket-button').disabled")
    page.click("#add-to-basket-button")
    page.wait_for_load_state()

    # The mini-basket in the header shows the line.
    page.locator("#mini-basket summary").click()
    panel = page.locator("#mini-basket .hx-minibasket__panel")
    panel.wait_for()
    assert title in panel.inner_text()
    assert page.locator("[data-basket-count]").inner_text() == "1"
    assert Basket.objects.get(status=Basket.OPEN).num_items == 1
