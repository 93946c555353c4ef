"""A shopper signs up, verifies the email from the sent message, logs out and in, and adds an address."""

import re

import pytest
from django.core import mail
from oscar.core.loading import get_model

UserAddress = get_model("address", "UserAddress")
EMAIL = "browser.shopper@example.com"
PASSWORD = "plum-orchard-lantern-42"

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page):
    page.goto("/auth/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/auth/login/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def test_shopper_signs_up_verifies_logs_out_and_in_and_adds_an_address(page, live_server, countries):
    page.goto("/")
    page.goto("/accounts/login/")  # Oscar's link leads to the one login page
    assert "/auth/login/" in page.url

    page.goto("/auth/signup/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("form[action='/auth/signup/'] button[type=submit]")
    page.wait_for_url("**/auth/confirm-email/")

    message = next(m for m in mail.outbox if EMAIL in m.to and "confirm-email" in m.body)
    path = re.search(r"https?://[^/]+(/auth/confirm-email/[^/\s]+/)", message.body).group(1)
    page.goto(path)
    page.get_by_role("button", name=re.compile("confirm", re.IGNORECASE)).click()
    page.wait_for_load_state()

    _log_in(page)
    page.goto("/accounts/profile/")
    assert EMAIL in page.content()

    page.goto("/auth/logout/")
    page.click("form[action='/auth/logout/'] button[type=submit]")
    page.goto("/accounts/profile/")
    assert "/auth/login/" in page.url

    _log_in(page)
    page.goto("/accounts/addresses/add/")
    page.fill("#id_first_name", "Browser")
    page.fill("#id_last_name", "Shopper")
    page.fill("#id_line1", "1 Test Street")
    page.fill("#id_line4", "Leeds")
    page.fill("#id_postcode", "LS1 1AA")
    page.select_option("#id_country", "GB")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/accounts/addresses/")
    assert "1 Test Street" in page.content()
    assert UserAddress.objects.get(user__email=EMAIL).postcode == "LS1 1AA"
