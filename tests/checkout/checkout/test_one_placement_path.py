"""One placement path: the checkout pages and the API both place orders through
`checkout.services.checkout_place_order` and Oscar's `order.utils.OrderCreator` (our fork)."""

from decimal import Decimal

import pytest
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from checkout.checkout.errors import OutOfStock
from tests.checkout.conftest import ADDRESS_FORM, add_line, checkout_body

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_methods", "dummy_payments")]


def _page_checkout(client, *products, email: str):
    for product in products:
        client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    client.post("/checkout/", {"username": email, "options": "anonymous"})
    client.post("/checkout/shipping-address/", ADDRESS_FORM)
    client.post("/checkout/shipping-method/", {"method_code": "express"})
    client.get("/checkout/payment-method/", follow=True)
    client.post("/checkout/preview/", {"gateway": "dummy"})
    return client.post("/checkout/preview/", {"action": "place_order"})


def test_page_and_api_checkouts_place_the_same_order_with_stock_allocated(client, api_client, make_product):
    shirt = make_product(title="Shirt", price="25.00", stock=5)
    mug = make_product(title="Mug", price="8.50", stock=5)

    page = _page_checkout(client, shirt, mug, email="page@example.com")
    add_line(api_client, mug, 1)
    add_line(api_client, shirt, 1)
    api = api_client.post("/api/v1/checkout/", checkout_body(guest_email="api@example.com"), format="json")

    assert page.status_code == 302 and "/payments/dummy/" in page["Location"]
    assert api.status_code == 201, api.content
    by_page = Order.objects.get(guest_email="page@example.com")
    by_api = Order.objects.get(guest_email="api@example.com")
    for order in (by_page, by_api):
        assert order.status == "Pending payment"
        assert order.shipping_code == "express"
        assert order.total_incl_tax == Decimal("43.45")  # 25.00 + 8.50 + express 7.95 + 2 x 1.00
        assert sorted(order.lines.values_list("title", "quantity")) == [("Mug", 1), ("Shirt", 1)]
        assert all(line.stockrecord_id for line in order.lines.all())
    assert api.json()["order"]["number"] == by_api.number
    for product in (shirt, mug):
        assert StockRecord.objects.get(product=product).num_allocated == 2


def test_oscar_finds_our_order_creator_and_it_refuses_to_oversell(make_product):
    product = make_product(title="Last One", stock=3)
    StockRecord.objects.filter(product=product).update(num_allocated=2)  # one left
    basket = Basket.objects.create()
    basket.strategy = Default()
    basket.add_product(product, quantity=2)

    assert get_class("order.utils", "OrderCreator").__module__ == "checkout.order.utils"
    with pytest.raises(OutOfStock):
        create_order(basket=basket)  # Oscar's test factory: get_class("order.utils", "OrderCreator")

    assert not Order.objects.exists()
    assert StockRecord.objects.get(product=product).num_allocated == 2
