"""The log of a whole sign-up and a whole guest checkout, written at DEBUG through the project's own
formatter and filters, holds none of the shopper's email addresses, phone numbers, passwords, keys,
tokens or card numbers (docs/adr/0035).

The shoppers: one signs up on the pages (verification link, a wrong password, sign-in, password reset),
one through the API (verification key, JWT pair, refresh, an authenticated call, sign-out), one by phone
code, and a guest buys with a phone number on the address and pays (a card number sent along in the form
as a careless client might). SMS go through the HTTP backend production uses; mail is captured.

`without the safety net` runs the same journey with the redaction filter taken off the handler: what
Hypex and its libraries log must already be clean; the filter is for what slips through later.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from oscar.core.loading import get_model
from oscar.test.factories import create_product
from rest_framework.test import APIClient

from ops.log_redaction import RedactingFilter
from tests.api_errors import assert_api_error
from tests.checkout.conftest import ADDRESS_FORM

Country = get_model("address", "Country")
OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")
Order = get_model("order", "Order")

PAGE_EMAIL = "page.signup.logtest@example.com"
API_EMAIL = "api.signup.logtest@example.org"
GUEST_EMAIL = "guest.buyer.logtest@example.net"
PASSWORD = "plum-orchard-lantern-42"
WRONG_PASSWORD = "quartz-meadow-ferry-19"
NEW_PASSWORD = "violet-harbour-compass-77"
GUEST_PHONE_TYPED = "07911 123457"
GUEST_PHONE = "+447911123457"
OTP_PHONE = "+447911123999"
CARD = "4242 4242 4242 4242"


def _link(pattern: str, email: str) -> str:
    message = next(m for m in reversed(mail.outbox) if email in m.to and re.search(pattern, m.body))
    return re.search(pattern, message.body).group(0)


def _page_sign_up(secrets: list[str]) -> None:
    client = Client()
    assert (
        client.post("/auth/signup/", {"email": PAGE_EMAIL, "password1": PASSWORD, "password2": PASSWORD}).status_code
        == 302
    )
    confirm = _link(r"/auth/confirm-email/[^/\s]+/", PAGE_EMAIL)
    secrets.append(confirm.split("/")[-2])
    assert client.get(confirm).status_code == 200
    assert client.post(confirm).status_code == 302
    assert client.post("/auth/login/", {"login": PAGE_EMAIL, "password": WRONG_PASSWORD}).status_code == 200
    assert client.post("/auth/login/", {"login": PAGE_EMAIL, "password": PASSWORD}).status_code == 302
    secrets.append(client.cookies["sessionid"].value)
    assert client.get("/accounts/profile/").status_code == 200
    client.post("/auth/logout/")

    assert client.post("/auth/password/reset/", {"email": PAGE_EMAIL}).status_code == 302
    reset = _link(r"/auth/password/reset/key/[0-9a-z]+-[^/\s]+/", PAGE_EMAIL)
    secrets.append(reset.split("/")[-2].split("-", 1)[1])
    form = client.get(reset, follow=True)
    assert form.status_code == 200
    done = client.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302


def _api_sign_up(secrets: list[str]) -> None:
    api = APIClient()
    register = api.post("/api/v1/auth/register/", {"email": API_EMAIL, "password": PASSWORD}, format="json")
    assert register.status_code == 202
    key = _link(r"/auth/confirm-email/[^/\s]+/", API_EMAIL).split("/")[-2]
    secrets.append(key)
    assert api.post("/api/v1/auth/email/verify/", {"key": key}, format="json").status_code == 200
    wrong = api.post("/api/v1/auth/token/", {"email": API_EMAIL, "password": WRONG_PASSWORD}, format="json")
    assert_api_error(wrong, 401, "no_active_account")
    pair = api.post("/api/v1/auth/token/", {"email": API_EMAIL, "password": PASSWORD}, format="json").json()
    secrets.extend([pair["access"], pair["refresh"]])
    assert api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {pair['access']}").status_code == 200
    assert_api_error(api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {pair['access']}x"), 401, "token_not_valid")
    fresh = api.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json").json()
    secrets.append(fresh["access"])
    logout = api.post(
        "/api/v1/auth/logout/", {"refresh": fresh.get("refresh", pair["refresh"])}, format="json",
        HTTP_AUTHORIZATION=f"Bearer {fresh['access']}",
    )  # fmt: skip
    assert logout.status_code in {200, 204, 205}


def _phone_sign_in(sms_provider, secrets: list[str]) -> None:
    api = APIClient()
    assert api.post("/api/v1/auth/otp/request/", {"phone": OTP_PHONE}, format="json").status_code == 202
    verified = api.post(
        "/api/v1/auth/otp/verify/", {"phone": OTP_PHONE, "code": sms_provider.last_code()}, format="json"
    )
    assert verified.status_code == 200
    secrets.extend(verified.json().values())


def _guest_checkout(product, secrets: list[str]) -> None:
    client = Client()
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    client.post("/checkout/", {"username": GUEST_EMAIL, "options": "anonymous"})
    client.post("/checkout/shipping-address/", {**ADDRESS_FORM, "phone_number": GUEST_PHONE_TYPED})
    client.post("/checkout/shipping-method/", {"method_code": "express"})
    client.get("/checkout/payment-method/", follow=True)
    client.post("/checkout/preview/", {"gateway": "dummy"})
    placed = client.post("/checkout/preview/", {"action": "place_order"})
    assert placed.status_code == 302 and "/payments/dummy/" in placed["Location"], placed
    secrets.append(placed["Location"].rstrip("/").rsplit("/", 1)[-1])
    paid = client.post(placed["Location"], {"decision": "approve", "card_number": CARD, "cvc": "123"})
    assert paid["Location"] == "/checkout/thank-you/"
    assert client.get("/checkout/thank-you/").status_code == 200
    order = Order.objects.get(guest_email=GUEST_EMAIL)
    assert order.shipping_address.phone_number == GUEST_PHONE
    secrets.append(order.verification_hash())
    status = client.get(f"/accounts/order-status/{order.number}/{order.verification_hash()}/")
    assert status.status_code == 200
    assert Client().get(f"/checkout/order/{order.number}/pay/?key={order.verification_hash()}").status_code == 200


@pytest.fixture
def shop(countries, settings):
    settings.PAYMENT_GATEWAYS = ["dummy"]
    express = OrderAndItemCharges.objects.create(code="express", name="Express", price_per_order=Decimal("7.95"))
    express.countries.add(Country.objects.get(iso_3166_1_a2="GB"))
    return create_product(title="Linen Shirt", price=Decimal("25.00"), num_in_stock=10)


def _leaks(text: str, secrets: list[str]) -> list[str]:
    digits = re.sub(r"\D", "", CARD)
    plain = [
        PAGE_EMAIL, API_EMAIL, GUEST_EMAIL, PAGE_EMAIL.replace("@", "%40"),
        PASSWORD, WRONG_PASSWORD, NEW_PASSWORD,
        GUEST_PHONE, GUEST_PHONE_TYPED, GUEST_PHONE[3:], "0" + GUEST_PHONE[3:], OTP_PHONE, OTP_PHONE[3:],
        CARD, digits,
        *secrets,
    ]  # fmt: skip
    lines = text.splitlines()
    return [
        f"{value!r} in {next(line for line in lines if value in line)}" for value in plain if value and value in text
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("safety_net", [True, False], ids=["as-shipped", "without-the-safety-net"])
def test_the_log_of_sign_ups_and_a_guest_checkout_holds_no_personal_data(
    project_log, shop, sms_provider, settings, safety_net
):
    log = project_log(log_format="json", level="DEBUG")
    if not safety_net:
        for handler in logging.getLogger().handlers:
            handler.filters = [f for f in handler.filters if not isinstance(f, RedactingFilter)]
    secrets: list[str] = []

    _page_sign_up(secrets)
    _api_sign_up(secrets)
    _phone_sign_in(sms_provider, secrets)
    _guest_checkout(shop, secrets)

    records = log.records()  # every line is one JSON object
    paths = {record.get("path") for record in records if record["logger"] == "ops.access"}
    assert {"/auth/signup/", "/api/v1/auth/token/", "/api/v1/auth/otp/verify/", "/checkout/preview/"} <= paths
    assert len(records) > 40 and len(secrets) >= 10
    leaks = _leaks(log.text, secrets)
    assert not leaks, "\n".join(leaks)
