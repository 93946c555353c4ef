"""The support chat never covers the page's primary action, closed or open, at 390 px and 1280 px: Add to
basket, the basket's totals and checkout link, and each checkout step's button (Continue, the payment
step's Continue, Place order). Closed: the Help button is not over it wherever it is scrolled
(tests/browser/layout.py). Open: the page can always be scrolled so the action sits clear of the chat
panel, and `elementFromPoint` at its middle is the action itself. Screenshots of each step, open and
closed, go to var/screenshots/support-widget/ (not committed)."""

import re
from pathlib import Path

import pytest
from oscar.core.loading import get_model

from tests.browser.conftest import demo_shop_seed
from tests.browser.layout import HELP_BUTTON, assert_not_covered

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "support-widget"
PANEL = "#hypex-support-panel"


@pytest.fixture
def shop(db):
    demo_shop_seed(12, history=False)
    return Product.objects.filter(structure="parent", children__stockrecords__num_in_stock__gt=0).first()


@pytest.fixture(params=(390, 1280), ids=lambda width: f"{width}px")
def width(request, page):
    page.set_viewport_size({"width": request.param, "height": 844 if request.param < 400 else 900})
    return request.param


def _shot(page, name: str, state: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}-{state}.png"))


def _clear_of_the_open_panel(page, selector: str, where: str) -> None:
    """Scroll the action into the part of the window the open panel leaves free (above it, or beside it
    on a wide screen) and check that what is drawn at its middle is the action."""
    result = page.locator(selector).first.evaluate(
        """el => {
             const panel = document.querySelector('#hypex-support-panel').getBoundingClientRect();
             let r = el.getBoundingClientRect();
             const besidePanel = r.right <= panel.left;
             if (!besidePanel) {  // bring its middle halfway between the window's top and the panel's top
               window.scrollBy(0, (r.top + r.height / 2) - panel.top / 2);
               r = el.getBoundingClientRect();
             }
             const x = r.left + r.width / 2, y = r.top + r.height / 2;
             const hit = document.elementFromPoint(x, y);
             const ok = hit !== null && (el.contains(hit) || hit.contains(el));
             return ok ? '' : `at (${Math.round(x)}, ${Math.round(y)}), panel top ${Math.round(panel.top)}: ` +
                              (hit ? hit.outerHTML.slice(0, 160) : 'nothing');
           }"""
    )
    if result:
        pytest.fail(f"{selector!r} on {where} with the chat open is covered {result}")


def _check(page, name: str, selector: str) -> None:
    where = f"{name} at {page.viewport_size['width']} px"
    assert_not_covered(page, selector)
    _shot(page, name, "closed")
    help_button = page.locator(HELP_BUTTON)
    help_button.scroll_into_view_if_needed()
    help_button.click()
    page.locator(PANEL).wait_for()
    # The start form shows, the message box does not (no conversation yet).
    assert page.locator(".hypex-support-start").is_visible() and page.locator(".hypex-support-send").is_hidden()
    _clear_of_the_open_panel(page, selector, where)
    _shot(page, name, "open")
    page.locator(PANEL).get_by_role("button", name="Close").click()
    page.locator(PANEL).wait_for(state="hidden")
    assert page.evaluate("getComputedStyle(document.body).paddingBottom") == "0px"  # the room goes with it


def test_the_chat_never_covers_the_primary_action_open_or_closed(page, shop, width):
    page.goto(shop.get_absolute_url())
    page.locator("[data-variant-picker] a:not(.hypex-unavailable)").first.click()
    page.wait_for_function("!document.querySelector('#add-to-basket-button').disabled")
    _check(page, "product", "#add-to-basket-button")

    page.click("#add-to-basket-button")
    page.wait_for_load_state()
    page.goto("/basket/")
    _check(page, "basket-totals", "#basket_totals")
    _check(page, "basket", "main a[href$='/checkout/']")

    page.goto("/checkout/")
    page.fill("#id_username", f"layout.{width}@example.com")
    page.check("input[name=options][value=anonymous]")
    page.locator("form button[type=submit]", has_text=re.compile("Continue", re.I)).first.click()
    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    continue_button = "form button[type=submit]:has-text('Continue')"
    _check(page, "checkout-address", continue_button)
    page.fill("#id_first_name", "Ada")
    page.fill("#id_last_name", "Lovelace")
    page.fill("#id_line1", "1 Mill Yard")
    page.fill("#id_line4", "Leeds")
    page.fill("#id_postcode", "LS1 1AA")
    page.select_option("#id_country", "GB")
    page.locator(continue_button).first.click()
    page.wait_for_load_state()
    if "/checkout/shipping-method/" in page.url:
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state()
    page.wait_for_url(re.compile(r"/checkout/payment-details/"))
    _check(page, "checkout-payment", "#view_preview")
    page.click("#view_preview")
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    _check(page, "checkout-place-order", "#place-order")
