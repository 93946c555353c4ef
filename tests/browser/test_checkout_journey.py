"""The money path in a real Chromium against the live server, at 1280 px and 390 px, with axe-core run
on every step (zero critical or serious violations) and the phone's Help button never covering the
step's primary action:

- a guest buys two books with a voucher, chooses the gateway, reviews, pays and lands on the thank-you
  page, then opens the order's status page from the link in the confirmation email;
- a payment is declined, the shopper is back on the order's pay page and pays the same order again;
- a signed-in customer checks out to a saved address.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from oscar.core.loading import get_model

from tests.browser.axe import assert_accessible
from tests.browser.conftest import demo_shop_seed
from tests.browser.layout import assert_not_covered

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = (1280, 390)


@pytest.fixture
def shop(db):
    demo_shop_seed(24, history=False)


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def width(request, page):
    page.set_viewport_size({"width": request.param, "height": 900})
    return request.param


def _step(page, name: str, primary: str):
    """Every step: accessible, and (on a phone) its primary action not under the Help button."""
    assert_accessible(page, context=f"{name} ({page.viewport_size['width']} px)")
    if page.viewport_size["width"] <= 400:
        assert_not_covered(page, primary)


def _continue(page):
    page.locator("form button[type=submit]", has_text=re.compile("Continue", re.I)).first.click()
    page.wait_for_load_state()


def _two_books_in_the_basket(page, *, voucher: bool):
    page.goto("/")
    page.locator(".hx-category-tile a", has_text="Books").first.click()
    page.wait_for_url(re.compile(r"/catalogue/category/"))
    for index in range(2):
        page.locator(".product_pod form button[type=submit]").nth(index).click()
        page.wait_for_load_state()
    page.goto("/basket/")
    if voucher:
        page.fill("#id_code", "WELCOME10")
        page.locator("#voucher_form button[type=submit]").click()
        page.wait_for_load_state()
        assert "WELCOME10" in page.content()
    _step(page, "basket", "a:has-text('Proceed to checkout')")


def _address(page):
    page.fill("#id_first_name", "Ada")
    page.fill("#id_last_name", "Lovelace")
    page.fill("#id_line1", "1 Mill Yard")
    page.fill("#id_line4", "Leeds")
    page.fill("#id_postcode", "LS1 1AA")
    page.select_option("#id_country", "GB")


def _delivery_payment_review(page):
    """From the delivery step to the gateway's page, checking each step on the way."""
    if "/checkout/shipping-method/" in page.url:
        _step(page, "delivery", "form button[type=submit]")
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state()
    page.wait_for_url(re.compile(r"/checkout/payment-details/"))
    assert page.get_by_label(re.compile("Test payment")).is_checked()
    _step(page, "payment", "#view_preview")
    page.click("#view_preview")
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    assert "Test payment" in page.locator("[data-preview-gateway]").inner_text()
    assert "1 Mill Yard" in page.content() or "Low Road" in page.content()
    _step(page, "review", "#place-order")
    page.click("#place-order")
    page.wait_for_url(re.compile(r"/payments/dummy/"))


def test_guest_pays_lands_on_thank_you_and_follows_the_email_link(page, shop, width):
    guest = f"guest.{width}@example.com"
    _two_books_in_the_basket(page, voucher=True)
    page.goto("/checkout/")
    _step(page, "email", "form button[type=submit]")
    page.fill("#id_username", guest)
    page.check("input[name=options][value=anonymous]")
    _continue(page)
    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    _step(page, "address", "form button[type=submit]")
    _address(page)
    _continue(page)
    _delivery_payment_review(page)

    page.get_by_role("button", name="Approve payment").click()
    page.wait_for_url(re.compile(r"/checkout/thank-you/"))
    order = Order.objects.get(guest_email=guest)
    assert page.locator("[data-thanks-order-number]").inner_text() == order.number
    assert page.locator("[data-order-status]").inner_text() == "Paid"
    assert any(v.voucher.code == "WELCOME10" for v in order.voucherapplication_set.all())
    _step(page, "thank-you", ".hx-thanks .form-actions .btn")

    confirmation = next(m for m in mail.outbox if guest in m.to and order.number in m.subject)
    link = re.search(r"Follow your order: (\S+)", confirmation.body).group(1)
    stranger = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        status_page = stranger.new_page()
        status_page.goto(link)  # another browser: Oscar asks for the order's email first
        status_page.get_by_label("Email address").fill(guest)
        status_page.get_by_label("Email address").press("Enter")
        status_page.wait_for_load_state()
        assert order.number in status_page.content()
        assert_accessible(status_page, context=f"order status ({width} px)")
    finally:
        stranger.close()


def test_declined_payment_then_paid_for_the_same_order(page, shop, width):
    guest = f"decline.{width}@example.com"
    _two_books_in_the_basket(page, voucher=False)
    page.goto("/checkout/")
    page.fill("#id_username", guest)
    page.check("input[name=options][value=anonymous]")
    _continue(page)
    _address(page)
    _continue(page)
    _delivery_payment_review(page)

    page.get_by_role("button", name="Decline").click()
    page.wait_for_url(re.compile(r"/checkout/order/\d+/pay/"))
    assert "Your payment was declined" in page.content()
    _step(page, "pay again", "#pay-again")
    page.click("#pay-again")
    page.wait_for_url(re.compile(r"/payments/dummy/"))
    page.get_by_role("button", name="Approve payment").click()
    page.wait_for_url(re.compile(r"/checkout/thank-you/"))

    order = Order.objects.get(guest_email=guest)
    assert order.status == "Paid" and Order.objects.filter(guest_email=guest).count() == 1
    assert [a.status for a in order.payment_attempts.order_by("pk")] == ["failed", "succeeded"]


def test_signed_in_customer_checks_out_to_a_saved_address(page, shop, width):
    customer = get_user_model().objects.create_user(
        email=f"saved.{width}@example.com", password="a-long-password-1", first_name="Sam"
    )
    EmailAddress.objects.create(user=customer, email=customer.email, verified=True, primary=True)
    UserAddress.objects.create(
        user=customer, first_name="Sam", last_name="Saved", line1="2 Low Road", line4="Leeds",
        postcode="LS2 2BB", country=Country.objects.get(iso_3166_1_a2="GB"),
    )  # fmt: skip
    page.goto("/auth/login/")
    page.fill("input[name=login]", customer.email)
    page.fill("input[name=password]", "a-long-password-1")
    page.click("form[action='/auth/login/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    _two_books_in_the_basket(page, voucher=False)

    page.goto("/checkout/")
    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    assert "2 Low Road" in page.content()
    _step(page, "address book", "form button[type=submit]")
    page.locator(".hx-saved-address", has_text="2 Low Road").get_by_role("button", name="Ship to this address").click()
    page.wait_for_load_state()
    _delivery_payment_review(page)
    page.get_by_role("button", name="Approve payment").click()
    page.wait_for_url(re.compile(r"/checkout/thank-you/"))

    order = Order.objects.get(user=customer)
    assert order.shipping_address.line1 == "2 Low Road" and order.status == "Paid"
    assert page.locator("[data-order-status-link]").get_attribute("href") == f"/accounts/orders/{order.number}/"
