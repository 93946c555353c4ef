"""Live order pages in real browsers against a real ASGI server (daphne: pages and websockets): staff
ship an order in the back office and, without a reload, its signed-in owner's order page and order list and - for a
guest's order - the guest's status page (opened from the signed link) show "Shipped" and the carrier's
tracking number."""

import re
import threading

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from oscar.test.factories import create_order

from checkout.order.links import order_status_path

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "harbour-lantern-console-7"


def _orders():
    """A paid order of a signed-in customer and one of a guest (made in a thread without Playwright's loop:
    the order's after-commit side reactions need one, as in a web or worker process)."""
    made = {}

    def make():
        users = get_user_model().objects
        customer = users.create_user(email="ada@example.com", password=PASSWORD, first_name="Ada")
        EmailAddress.objects.create(user=customer, email=customer.email, verified=True, primary=True)
        users.create_superuser(email="staff@example.com", password=PASSWORD)
        made["mine"] = create_order(user=customer, status="Paid")
        made["guest"] = create_order(guest_email="guest@example.com", status="Paid")

    worker = threading.Thread(target=make)
    worker.start()
    worker.join()
    return made["mine"], made["guest"]


def _ship(staff, order, tracking: str):
    staff.goto(f"/admin/order/order/{order.pk}/change/")
    staff.get_by_role("link", name="Add shipping event").click()
    staff.fill("input[name=carrier]", "Royal Mail")
    staff.fill("input[name=tracking_number]", tracking)
    staff.locator("form button[type=submit]").last.click()
    staff.get_by_text("Shipping event added.").wait_for()


def test_the_order_pages_change_when_staff_ship(browser, asgi_server):
    mine, guest_order = _orders()
    contexts = [browser.new_context(base_url=asgi_server.url) for _ in range(3)]
    shopper, guest, staff = (context.new_page() for context in contexts)
    try:
        for page in (shopper, guest, staff):
            page.set_default_timeout(15_000)
        shopper.goto("/auth/login/")
        shopper.fill("input[name=login]", "ada@example.com")
        shopper.fill("input[name=password]", PASSWORD)
        shopper.click("form[action='/auth/login/'] button[type=submit]")
        shopper.wait_for_load_state()
        shopper.goto(order_status_path(mine))
        status = shopper.locator(f"[data-order-status='{mine.number}']")
        assert status.first.inner_text() == "Paid"
        shopper.wait_for_function("document.querySelector('[data-order-live]').dataset.orderLiveState === 'open'")

        listing = contexts[0].new_page()  # the same shopper's order list, in a second tab
        listing.goto("/accounts/orders/")
        assert listing.locator(f"td[data-order-status='{mine.number}']").inner_text() == "Paid"
        listing.wait_for_function("document.querySelector('[data-order-live]').dataset.orderLiveState === 'open'")

        guest.goto(order_status_path(guest_order))  # the signed link; Oscar asks for the order's email
        guest.get_by_label("Email address").fill("guest@example.com")
        guest.get_by_label("Email address").press("Enter")
        guest.locator("[data-order-live]").wait_for()
        guest.wait_for_function("document.querySelector('[data-order-live]').dataset.orderLiveState === 'open'")
        assert "Not shipped yet" in guest.locator(".hypex-tracking").inner_text()

        staff.goto("/admin/")
        staff.fill("input[name=username]", "staff@example.com")
        staff.fill("input[name=password]", PASSWORD)
        staff.locator("form#login-form button[type=submit], form button[type=submit]").first.click()
        staff.wait_for_url(re.compile(r".*/admin/$"))

        _ship(staff, mine, "RM111111111GB")
        shopper.locator(".hypex-tracking__number", has_text="RM111111111GB").wait_for()
        shown = f"[...document.querySelectorAll(\"[data-order-status='{mine.number}']\")].map(e => e.textContent)"
        shopper.wait_for_function(f"{shown}.every(text => text === 'Shipped')")
        assert shopper.evaluate(shown) == ["Shipped", "Shipped"]  # the status at the top and in Delivery
        listing.wait_for_function(
            f"document.querySelector(\"td[data-order-status='{mine.number}']\").textContent === 'Shipped'"
        )
        assert "RM111111111GB" not in guest.content()  # the guest hears their own order only

        _ship(staff, guest_order, "RM222222222GB")
        guest.locator(".hypex-tracking__number", has_text="RM222222222GB").wait_for()
        assert guest.locator(f"[data-order-status='{guest_order.number}']").first.inner_text() == "Shipped"
        assert "Not shipped yet" not in guest.locator(".hypex-tracking").inner_text()
    finally:
        for context in contexts:
            context.close()
