"""Checkout with Redis away (ADR 0025): the order transaction does not depend on the cache, so the
basket and checkout answer and the order is placed, by the API and through the pages."""

import pytest
from allauth.account.models import EmailAddress
from oscar.core.loading import get_model

from tests.checkout.checkout.test_checkout_pages import _to_preview
from tests.checkout.conftest import add_line, checkout_body

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.redis,
    pytest.mark.usefixtures("shipping_methods", "dummy_payments", "redis_down"),
]


def test_api_checkout_places_the_order_while_redis_is_down(api_client, product):
    assert add_line(api_client, product, 2).status_code == 201

    response = api_client.post("/api/v1/checkout/", checkout_body(guest_email="guest@example.com"), format="json")

    assert response.status_code == 201, response.content
    order = Order.objects.get()
    assert response.json()["order"]["number"] == order.number
    assert StockRecord.objects.get().num_allocated == 2


def test_signed_in_shopper_checks_out_through_the_pages_while_redis_is_down(client, user, password, product):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post("/auth/login/", {"login": user.email, "password": password})  # rate limit fails open
    assert response.status_code == 302 and response["Location"] == "/", response.content[:300]
    assert client.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    saved = UserAddress.objects.create(
        user=user, first_name="Sam", line1="2 Low Road", line4="Leeds", postcode="LS1 1AA",
        country=Country.objects.get(iso_3166_1_a2="GB"),
    )  # fmt: skip
    response = client.post("/checkout/shipping-address/", {"action": "ship_to", "address_id": saved.pk})
    assert response.status_code == 302
    _to_preview(client)

    response = client.post("/checkout/preview/", {"action": "place_order"})

    assert response.status_code == 302, response.content[:500]
    order = Order.objects.get()
    assert order.user == user
    assert client.get("/accounts/profile/").status_code == 200  # still signed in: the session is in the database
