"""axe-core finds no critical or serious accessibility violation on the shop's pages, on a desktop
(1280 px) and a phone (390 px): home (CMS), a campaign page, a category, a product with sizes (before and
after choosing one), search results, sign-up, sign-in, and the signed-in account pages (profile, orders,
an order, the address book), with the mini-basket and the Help chat opened; and no page is wider than
the window (WCAG reflow)."""

import re

import pytest
from oscar.core.loading import get_model

from tests.browser.axe import describe, serious_violations
from tests.browser.conftest import demo_shop_seed
from tests.browser.layout import DESKTOP, PHONE

Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")

CUSTOMER_EMAIL, CUSTOMER_PASSWORD = "customer@hypex.test", "hypex-customer"  # seed_demo's demo customer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop(db):
    demo_shop_seed(12, history=True)
    customer_orders = Order.objects.filter(user__email=CUSTOMER_EMAIL)
    order = customer_orders.order_by("number").last()
    UserAddress.objects.create(
        user=order.user, first_name="Alex", last_name="Demo", line1="1 Demo Street", line4="London",
        postcode="SW1A 1AA", country=Country.objects.get(iso_3166_1_a2="GB"),
    )  # fmt: skip
    product = Product.objects.filter(structure="parent", children__stockrecords__num_in_stock__gt=0).first()
    return {"product": product, "category": product.get_categories().first(), "order": order}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_shop_pages_have_no_critical_or_serious_accessibility_violations(page, shop, viewport):
    page.set_viewport_size(viewport)
    failures: list[str] = []

    def check(name: str) -> None:
        serious = serious_violations(page)
        if serious:
            failures.append(f"{name} ({page.url}):\n{describe(serious)}")
        # WCAG 1.4.10 reflow: the page fits the window's width, nothing to scroll sideways.
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            failures.append(f"{name} ({page.url}): {width} px wide, wider than the window")

    def visit(name: str, path: str) -> None:
        page.goto(path)
        check(name)

    visit("home", "/")
    page.locator(".hypex-support-toggle").click()
    page.locator("#hypex-support-panel").wait_for()
    check("home with the Help chat open")
    visit("campaign page", "/summer-edit/")
    visit("category", shop["category"].get_absolute_url())
    visit("search results", "/search/?q=shirt")
    visit("product with sizes", shop["product"].get_absolute_url())
    page.locator("[data-variant-picker] a:not(.hypex-unavailable)").first.click()
    page.wait_for_function("!document.querySelector('#add-to-basket-button').disabled")
    check("product with a size chosen")
    page.click("#add-to-basket-button")
    page.wait_for_load_state()
    page.locator("#mini-basket summary").click()
    page.locator("#mini-basket .hx-minibasket__panel").wait_for()
    check("mini-basket open")
    visit("sign-up", "/auth/signup/")
    visit("sign-in", "/auth/login/")

    page.fill("input[name=login]", CUSTOMER_EMAIL)
    page.fill("input[name=password]", CUSTOMER_PASSWORD)
    page.click("form[action='/auth/login/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    visit("account profile", "/accounts/")
    visit("orders", "/accounts/orders/")
    visit("an order", f"/accounts/orders/{shop['order'].number}/")
    visit("address book", "/accounts/addresses/")

    assert not failures, f"axe-core at {viewport['width']} px:\n" + "\n".join(failures)
