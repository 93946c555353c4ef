"""POST /api/v1/checkout/: orders from baskets, guest checkout, saved addresses, double submits."""

import pytest
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from tests.api_errors import assert_api_error
from tests.checkout.conftest import GB_ADDRESS, add_line, checkout_body

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_methods", "dummy_payments")]


def _checkout(client, body=None, **headers):
    return client.post("/api/v1/checkout/", body or checkout_body(), format="json", **headers)


def test_checkout_creates_a_pending_order_and_says_how_to_pay(shopper, user, product):
    add_line(shopper, product, 2)

    response = _checkout(shopper)

    assert response.status_code == 201, response.content
    body = response.json()
    order = Order.objects.get()
    assert body["order"]["number"] == order.number
    assert body["order"]["status"] == "Pending payment"
    assert order.user == user
    assert body["order"]["email"] == user.email
    line = body["order"]["lines"][0]
    assert (line["title"], line["quantity"], line["sku"]) == ("Linen Shirt", 2, product.stockrecords.get().partner_sku)
    assert line["unit_price"] == {"currency": "GBP", "excl_tax": "25.00", "incl_tax": "25.00"}
    assert body["order"]["totals"]["shipping"]["excl_tax"] == "9.95"
    assert body["order"]["totals"]["total"]["incl_tax"] == "59.95"
    assert body["order"]["shipping_method"] == {"code": "express", "name": "Express"}
    assert body["payment"]["gateway"] == "dummy"
    assert body["payment"]["type"] == "redirect"
    assert body["payment"]["redirect_url"].startswith("http://testserver/")
    assert StockRecord.objects.get().num_allocated == 2
    assert shopper.get("/api/v1/basket/").json()["num_items"] == 0


def test_guest_checkout_needs_an_email(api_client, product):
    add_line(api_client, product, 1)

    response = _checkout(api_client)
    assert "guest_email" in assert_api_error(response, 400, "validation_error")["fields"]

    response = _checkout(api_client, checkout_body(guest_email="guest@example.com"))
    assert response.status_code == 201
    assert response.json()["order"]["email"] == "guest@example.com"
    assert response.json()["order"]["is_guest"] is True
    assert Order.objects.get().guest_email == "guest@example.com"


def test_guest_with_only_a_basket_token_can_check_out(product):
    token = add_line(APIClient(), product, 1).json()["token"]

    response = _checkout(APIClient(), checkout_body(guest_email="g@example.com"), HTTP_X_BASKET_TOKEN=token)

    assert response.status_code == 201


def test_checkout_with_a_saved_address(shopper, user, product):
    saved = UserAddress.objects.create(
        user=user, first_name="Sam", line1="2 Low Road", line4="Leeds", postcode="LS1 1AA",
        country=Country.objects.get(iso_3166_1_a2="GB"),
    )  # fmt: skip
    add_line(shopper, product, 1)

    body = {"address_id": saved.pk, "shipping_method": "standard", "payment_method": "dummy"}
    response = _checkout(shopper, body)

    assert response.status_code == 201, response.content
    assert response.json()["order"]["shipping_address"]["line1"] == "2 Low Road"


def test_another_customers_saved_address_cannot_be_used(shopper, product, staff_user):
    other = UserAddress.objects.create(
        user=staff_user, line1="3 Elsewhere", line4="York", postcode="YO1 1AA",
        country=Country.objects.get(iso_3166_1_a2="GB"),
    )  # fmt: skip
    add_line(shopper, product, 1)

    response = _checkout(shopper, {"address_id": other.pk, "shipping_method": "standard", "payment_method": "dummy"})

    assert "address_id" in assert_api_error(response, 400, "validation_error")["fields"]
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"shipping_method": "world"}, "shipping_method"),  # World ships to FR only
        ({"payment_method": "cash"}, "payment_method"),
        ({"shipping_address": {**GB_ADDRESS, "postcode": "NOT A CODE"}}, "postcode"),
        ({"shipping_address": {**GB_ADDRESS, "country": "XX"}}, "shipping_address"),
    ],
)
def test_bad_checkout_input_is_a_validation_error_and_places_nothing(shopper, product, override, field):
    add_line(shopper, product, 1)

    response = _checkout(shopper, checkout_body(**override))

    assert field in str(assert_api_error(response, 400, "validation_error")["fields"])
    assert not Order.objects.exists()
    assert StockRecord.objects.get().num_allocated in (None, 0)


def test_empty_basket_cannot_be_checked_out(shopper):
    response = _checkout(shopper)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "basket_empty"


def test_submitting_the_same_basket_twice_returns_the_first_order(shopper, product):
    add_line(shopper, product, 1)
    first = _checkout(shopper)

    second = _checkout(shopper)

    assert second.status_code == 200
    assert second.json()["order"]["number"] == first.json()["order"]["number"]
    assert Order.objects.count() == 1


def test_guest_resubmitting_the_same_basket_gets_the_same_order(api_client, product):
    add_line(api_client, product, 1)
    first = _checkout(api_client, checkout_body(guest_email="g@example.com"))

    second = _checkout(api_client, checkout_body(guest_email="g@example.com"))

    assert second.status_code == 200
    assert second.json()["order"]["number"] == first.json()["order"]["number"]


def test_stock_sold_meanwhile_is_a_clean_conflict(shopper, make_product):
    product = make_product(stock=2)
    add_line(shopper, product, 2)
    StockRecord.objects.filter(product=product).update(num_allocated=1)  # someone else's order

    response = _checkout(shopper)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "insufficient_stock"
    assert not Order.objects.exists()
    assert StockRecord.objects.get(product=product).num_allocated == 1
    assert Basket.open.get().num_items == 2  # the basket is kept to fix


def test_order_keeps_the_voucher_discount_and_counts_its_use(shopper, product, make_voucher):
    voucher = make_voucher(code="SAVE10", offer_name="Ten percent off")
    add_line(shopper, product, 2)
    shopper.post("/api/v1/basket/vouchers/", {"code": "SAVE10"}, format="json")

    body = _checkout(shopper).json()

    assert body["order"]["discounts"] == [{"name": "Ten percent off", "voucher": "SAVE10", "amount": "5.00"}]
    assert body["order"]["totals"]["total"]["incl_tax"] == "54.95"
    voucher.refresh_from_db()
    assert voucher.num_orders == 1
