"""On a 390 px phone: product grids show two cards a row, and the Help button (the support chat's
launcher) never covers the primary action - Add to basket, the basket's totals and its checkout button -
wherever on the screen the shopper scrolls it; it stays one tap away in the header."""

import pytest
from oscar.core.loading import get_model

from tests.browser.conftest import demo_shop_seed
from tests.browser.layout import DESKTOP, HELP_BUTTON, PHONE, assert_not_covered, items_in_first_row

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop(db):
    demo_shop_seed(12, history=False)
    product = Product.objects.filter(structure="parent", children__stockrecords__num_in_stock__gt=0).first()
    return {"product": product, "category": product.get_categories().first()}


def test_product_grids_are_two_columns_on_a_phone_and_four_on_a_desktop(page, shop):
    grids = {
        "home (CMS product blocks)": "/",
        "campaign page (CMS product blocks)": "/summer-edit/",
        "catalogue": "/catalogue/",
        "category": shop["category"].get_absolute_url(),
        "search results": "/search/?q=red",
    }
    for viewport, per_row in ((PHONE, 2), (DESKTOP, 4)):
        page.set_viewport_size(viewport)
        for name, path in grids.items():
            page.goto(path)
            cards = page.locator(".hx-product-grid").first.locator(":scope > li")
            assert cards.count() >= 2, name
            expected = min(per_row, cards.count())
            assert items_in_first_row(cards) == expected, f"{name} at {viewport['width']} px"


def test_help_button_never_covers_add_to_basket_or_the_basket_totals_on_a_phone(page, shop):
    page.set_viewport_size(PHONE)
    page.goto(shop["product"].get_absolute_url())
    page.locator("[data-variant-picker] a:not(.hypex-unavailable)").first.click()
    page.wait_for_function("!document.querySelector('#add-to-basket-button').disabled")
    assert_not_covered(page, "#add-to-basket-button")

    page.click("#add-to-basket-button")
    page.wait_for_load_state()
    page.goto("/basket/")
    assert_not_covered(page, "#basket_totals")
    assert_not_covered(page, "main a[href$='/checkout/']")

    # Help is still there to press, and its chat opens on the screen.
    help_button = page.locator(HELP_BUTTON)
    help_button.scroll_into_view_if_needed()
    help_button.click()
    panel = page.locator("#hypex-support-panel")
    panel.wait_for()
    box = panel.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"]
    assert page.locator(".hypex-support-send").is_hidden()  # no message box before a conversation
    page.get_by_role("button", name="Close").click()  # it closes from inside, wherever the header is
    panel.wait_for(state="hidden")


def test_help_button_floats_at_the_bottom_right_on_a_desktop(page, shop):
    page.goto(shop["product"].get_absolute_url())
    box = page.locator(HELP_BUTTON).bounding_box()
    assert box["x"] > DESKTOP["width"] / 2 and box["y"] > DESKTOP["height"] / 2
