"""Oscar's checkout pages with Hypex's placement: guest with an email, the address book, no oversell."""

import pytest
from oscar.core.loading import get_model

from tests.checkout.conftest import ADDRESS_FORM

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_methods", "dummy_payments")]


def _to_preview(client):
    response = client.post("/checkout/shipping-method/", {"method_code": "express"})
    assert response.status_code == 302, response.content[:500]
    response = client.get("/checkout/payment-method/", follow=True)
    assert response.status_code == 200
    assert client.post("/checkout/preview/", {"gateway": "dummy"}).status_code == 302
    assert client.get("/checkout/preview/").status_code == 200


def test_guest_checks_out_with_an_email_and_goes_on_to_pay(client, product):
    client.post(f"/basket/add/{product.pk}/", {"quantity": 2})

    response = client.post("/checkout/", {"username": "guest@example.com", "options": "anonymous"})
    assert response.status_code == 302
    response = client.post("/checkout/shipping-address/", ADDRESS_FORM)
    assert response.status_code == 302, response.content[:500]
    _to_preview(client)

    response = client.post("/checkout/preview/", {"action": "place_order"})

    order = Order.objects.get()
    assert order.guest_email == "guest@example.com"
    assert order.status == "Pending payment"
    assert order.shipping_code == "express"
    assert StockRecord.objects.get().num_allocated == 2
    assert response.status_code == 302
    assert "/payments/dummy/" in response["Location"]


def test_signed_in_customer_ships_to_a_saved_address(client, user, product):
    saved = UserAddress.objects.create(
        user=user, first_name="Sam", line1="2 Low Road", line4="Leeds", postcode="LS1 1AA",
        country=Country.objects.get(iso_3166_1_a2="GB"),
    )  # fmt: skip
    client.force_login(user)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})

    page = client.get("/checkout/shipping-address/")
    assert "2 Low Road" in page.content.decode()
    response = client.post("/checkout/shipping-address/", {"action": "ship_to", "address_id": saved.pk})
    assert response.status_code == 302
    _to_preview(client)
    client.post("/checkout/preview/", {"action": "place_order"})

    order = Order.objects.get()
    assert order.user == user
    assert order.shipping_address.line1 == "2 Low Road"


def test_product_sold_out_meanwhile_sends_the_shopper_back_to_the_basket(client, make_product):
    product = make_product(stock=1)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    client.post("/checkout/", {"username": "guest@example.com", "options": "anonymous"})
    client.post("/checkout/shipping-address/", ADDRESS_FORM)
    _to_preview(client)
    StockRecord.objects.filter(product=product).update(num_allocated=1)  # another buyer got it

    response = client.post("/checkout/preview/", {"action": "place_order"}, follow=True)

    assert response.redirect_chain[-1][0].endswith("/basket/")
    assert any("no longer available" in str(message) for message in response.context["messages"])
    assert not Order.objects.exists()
    assert StockRecord.objects.get(product=product).num_allocated == 1
