"""A guest adds two products, applies a voucher, checks out, pays on the dummy payment page and sees
the order paid; the confirmation email was sent - in a real Chromium against the live server."""

import re

import pytest
from django.core import mail
from oscar.core.loading import get_model

from tests.browser.conftest import demo_shop_seed

Order = get_model("order", "Order")

GUEST = "guest.shopper@example.com"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop(db):
    demo_shop_seed(24)


def test_guest_buys_two_products_with_a_voucher_and_pays(page, shop):
    # Two books from the Books category, straight from their cards.
    page.goto("/")
    page.locator(".hx-category-tile a", has_text="Books").first.click()
    page.wait_for_url(re.compile(r"/catalogue/category/"))
    for index in range(2):
        page.locator(".product_pod form button[type=submit]").nth(index).click()
        page.wait_for_load_state()
    assert page.locator("[data-basket-count]").inner_text() == "2"

    # The voucher on the basket page shows its discount.
    page.goto("/basket/")
    if not page.locator("#voucher_form").is_visible():
        page.locator("#voucher_form_link a").click()
    page.fill("#id_code", "WELCOME10")
    page.locator("#voucher_form button[type=submit]").click()
    page.wait_for_load_state()
    assert "WELCOME10" in page.content()

    # Guest checkout: email, address, shipping method, preview, place order.
    page.goto("/checkout/")
    page.fill("#id_username", GUEST)
    page.check("input[name=options][value=anonymous]")
    page.locator("form button[type=submit]", has_text=re.compile("Continue", re.I)).first.click()
    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    page.fill("#id_first_name", "Ada")
    page.fill("#id_last_name", "Lovelace")
    page.fill("#id_line1", "1 Mill Yard")
    page.fill("#id_line4", "Leeds")
    page.fill("#id_postcode", "LS1 1AA")
    page.select_option("#id_country", "GB")
    page.locator("form button[type=submit]", has_text=re.compile("Continue", re.I)).first.click()
    page.wait_for_load_state()
    if "/checkout/shipping-method/" in page.url:
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state()
    if "/checkout/payment-details/" in page.url:  # the dummy gateway takes no card details here
        page.click("#view_preview")
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    page.locator("#place-order, button[type=submit]", has_text=re.compile("Place order", re.I)).first.click()

    # The dummy payment page: approve, and the order is paid.
    page.wait_for_url(re.compile(r"/payments/dummy/"))
    page.get_by_role("button", name="Approve payment").click()
    page.wait_for_load_state()
    order = Order.objects.get(guest_email=GUEST)
    assert order.number in page.content()
    assert page.locator("[data-order-status]").inner_text() == "Paid"
    assert order.status == "Paid"
    assert any(v.voucher.code == "WELCOME10" for v in order.voucherapplication_set.all())
    confirmations = [m for m in mail.outbox if GUEST in m.to and order.number in (m.subject + m.body)]
    assert confirmations, [m.subject for m in mail.outbox]
