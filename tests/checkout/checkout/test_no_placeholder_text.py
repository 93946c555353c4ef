"""No Oscar placeholder or developer text anywhere a shopper can reach: every checkout step (guest and
signed in), the gateway's page, the pay page after a decline, the thank-you and order-status pages and
every account page are read, and none may contain one of Oscar's placeholder sentences."""

import pytest
from django.test import Client
from oscar.core.loading import get_model

from tests.checkout.conftest import ADDRESS_FORM

Order = get_model("order", "Order")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_methods", "dummy_payments")]

PLACEHOLDERS = (
    "This page needs implementing",
    "Payment details to go here",
    "payment gateway libraries",
    "django-oscar-paypal",
    "You will almost certainly want",
    "Lorem ipsum",
)
ACCOUNT_PAGES = (
    "/accounts/", "/accounts/profile/", "/accounts/profile/edit/", "/accounts/change-password/",
    "/accounts/orders/", "/accounts/addresses/", "/accounts/addresses/add/",
    "/accounts/notifications/inbox/", "/accounts/notifications/archive/", "/accounts/wishlists/",
    "/accounts/alerts/", "/accounts/profile/delete/",
)  # fmt: skip


class Walk:
    def __init__(self, client: Client):
        self.client = client
        self.seen: list[str] = []

    def read(self, response):
        """Follow redirects, expect a page, keep its path and fail on any placeholder sentence."""
        chain = getattr(response, "redirect_chain", [])
        path = chain[-1][0] if chain else response.request["PATH_INFO"]
        assert response.status_code == 200, (path, response.status_code)
        html = response.content.decode()
        found = [sentence for sentence in PLACEHOLDERS if sentence in html]
        assert not found, f"{path} shows Oscar's placeholder text: {found}"
        self.seen.append(path)
        return response

    def get(self, path):
        response = self.read(self.client.get(path, follow=True))
        self.seen.append(path)  # as asked for (the account home redirects to the profile)
        return response

    def post(self, path, data):
        return self.read(self.client.post(path, data, follow=True))


def _checkout(walk: Walk, product, *, guest: bool):
    walk.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    walk.get("/basket/")
    walk.get("/checkout/")
    if guest:
        walk.post("/checkout/", {"username": "guest@example.com", "options": "anonymous"})
    walk.get("/checkout/shipping-address/")
    walk.post("/checkout/shipping-address/", ADDRESS_FORM)
    walk.get("/checkout/shipping-method/")
    walk.post("/checkout/shipping-method/", {"method_code": "express"})
    walk.get("/checkout/payment-details/")
    walk.post("/checkout/preview/", {"gateway": "dummy"})
    gateway_page = walk.post("/checkout/preview/", {"action": "place_order"})
    declined = walk.post(gateway_page.redirect_chain[-1][0], {"decision": "decline"})
    assert "/pay/" in declined.redirect_chain[-1][0]
    retry = walk.post(declined.redirect_chain[-1][0], {"action": "pay", "gateway": "dummy"})
    thanks = walk.post(retry.redirect_chain[-1][0], {"decision": "approve"})
    assert thanks.redirect_chain[-1][0] == "/checkout/thank-you/"
    return Order.objects.latest("pk")


def test_a_guest_checkout_and_the_order_status_page_show_no_placeholder(client, product):
    walk = Walk(client)

    order = _checkout(walk, product, guest=True)
    walk.get(f"/accounts/order-status/{order.number}/{order.verification_hash()}/")

    assert len(walk.seen) >= 14


def test_a_signed_in_checkout_and_every_account_page_show_no_placeholder(client, user, product):
    client.force_login(user)
    walk = Walk(client)

    order = _checkout(walk, product, guest=False)
    for path in (*ACCOUNT_PAGES, f"/accounts/orders/{order.number}/"):
        walk.get(path)

    assert set(ACCOUNT_PAGES) <= set(walk.seen)
