"""A return from request to refund in a real Chromium against the live server, at 1280 and 390 px, with
axe-core on the shopper's steps (and, on a phone, the Help button never over their primary action): the
customer asks to return an item from their order page, an order manager approves
it, marks the parcel received and refunds it in the back office, and the customer sees it refunded."""

import re
import threading

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connections

from backoffice.roles import ORDER_MANAGER, staff_roles_apply
from checkout.returns.models import ReturnReason, ReturnRequest
from tests.browser.axe import assert_accessible
from tests.browser.layout import DESKTOP, PHONE, assert_not_covered
from tests.checkout.returns.conftest import delivered_order_place

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-password-1"


def _in_a_thread(build):
    """Run `build` in a thread of its own and return its result: this thread has Playwright's running
    asyncio loop, and an order's after-commit reactions (events over the channel layer) need a thread
    without one (as `demo_shop_seed` does)."""
    result: list = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(build())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            failure.append(exc)
        finally:
            connections.close_all()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return result[0]


def _sign_in_to_the_shop(page, email):
    page.goto("/auth/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/auth/login/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def _admin_step(page, action: str, button: str, fill=None):
    page.get_by_role("link", name=action).first.click()
    page.wait_for_url(re.compile(r"/admin/returns/returnrequest/\d+/\w+/$"))
    if fill:
        fill(page)
    page.get_by_role("button", name=button).click()
    page.wait_for_url(re.compile(r"/admin/returns/returnrequest/\d+/change/$"))


@pytest.fixture(params=(DESKTOP, PHONE), ids=lambda size: f"{size['width']}px")
def width(request, page):
    page.set_viewport_size(request.param)
    return request.param["width"]


def _step(page, name: str, primary: str):
    assert_accessible(page, context=f"{name} ({page.viewport_size['width']} px)")
    if page.viewport_size["width"] <= 400:
        assert_not_covered(page, primary)


def test_a_return_from_request_to_refund(browser, live_server, page, width, dummy_payments):
    # the data migration made the reasons and the roles; a transactional test's flush removed them
    staff_roles_apply()
    ReturnReason.objects.get_or_create(code="wrong-size", defaults={"name": "Wrong size or fit"})
    customer = get_user_model().objects.create_user(email="returner@example.com", password=PASSWORD, first_name="Ria")
    EmailAddress.objects.create(user=customer, email=customer.email, verified=True, primary=True)
    manager = get_user_model().objects.create_user(email="orders@example.com", password=PASSWORD)
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    manager.groups.add(Group.objects.get(name=ORDER_MANAGER))
    order = _in_a_thread(lambda: delivered_order_place(user=customer))
    first = order.lines.order_by("pk").first()

    # the shopper asks for the return on their order page
    _sign_in_to_the_shop(page, customer.email)
    page.goto(f"/accounts/orders/{order.number}/")
    _step(page, "order page with returns", "[data-return-link]")
    page.locator("[data-return-link]").click()
    page.wait_for_url(re.compile(rf"/returns/order/{order.number}/$"))
    _step(page, "return form", "[data-return-submit]")
    page.fill(f"input[name=quantity_{first.pk}]", "2")
    page.select_option(f"select[name=reason_{first.pk}]", "wrong-size")
    page.locator("[data-return-submit]").click()
    page.wait_for_url(re.compile(rf"/accounts/orders/{order.number}/$"))
    assert page.locator("[data-return-status]").inner_text() == "Requested"
    request = ReturnRequest.objects.get()

    # staff approve, receive and refund it in the back office
    staff = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    admin = staff.new_page()
    admin.set_default_timeout(15_000)
    admin.goto("/admin/")
    admin.fill("input[name=username]", manager.email)
    admin.fill("input[name=password]", PASSWORD)
    admin.locator("form#login-form button[type=submit], form button[type=submit]").first.click()
    admin.wait_for_url(re.compile(r".*/admin/$"))
    admin.goto("/admin/returns/returnrequest/")
    admin.get_by_role("link", name=str(request.pk), exact=True).first.click()
    admin.wait_for_url(re.compile(rf"/admin/returns/returnrequest/{request.pk}/change/$"))
    line = request.lines.get()

    def approve(step):
        step.select_option(f"select[name=decision_{line.pk}]", "approved")
        step.fill(f"input[name=note_{line.pk}]", "Send it back with the label.")

    _admin_step(admin, "Approve or reject lines", "Approve or reject lines", approve)
    _admin_step(admin, "Goods received", "Goods received")
    _admin_step(admin, "Refund", "Refund", lambda step: step.check("input[name=confirm]"))
    assert "Refund recorded." in admin.content()
    staff.close()
    request.refresh_from_db()
    assert request.status == "refunded" and str(request.refund_amount) == "20.00"

    # the shopper sees it refunded
    page.goto(f"/accounts/orders/{order.number}/")
    assert page.locator("[data-return-status]").inner_text() == "Refunded"
    assert "Refunded £20.00" in page.locator("[data-return-refund]").inner_text()
    assert "Send it back with the label." in page.content()
    _step(page, "order page, return refunded", "[data-return-refund]")
