"""Basket pages: the same stock rules and voucher reasons as the API."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_page_refuses_more_than_in_stock(client, make_product):
    product = make_product(title="Rare Vase", stock=2)

    response = client.post(f"/basket/add/{product.pk}/", {"quantity": 3}, follow=True)

    assert client.get("/api/v1/basket/").json()["num_items"] == 0
    assert any("2" in message for message in _messages(response))


def test_page_says_why_an_expired_voucher_cannot_apply(client, product, make_voucher):
    now = timezone.now()
    make_voucher(code="OLD", starts=now - timedelta(days=5), ends=now - timedelta(days=1))
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})

    response = client.post("/basket/vouchers/add/", {"code": "OLD"}, follow=True)

    assert any("expired" in message for message in _messages(response))


def test_page_and_api_show_the_same_basket(client, product, make_voucher):
    make_voucher(code="SAVE10", offer_name="Ten percent off")
    client.post(f"/basket/add/{product.pk}/", {"quantity": 2})
    client.post("/basket/vouchers/add/", {"code": "SAVE10"})

    page = client.get("/basket/").content.decode()
    api = client.get("/api/v1/basket/").json()

    assert api["discounts"][0]["name"] == "Ten percent off"
    assert "Ten percent off" in page or "SAVE10" in page
    assert api["total"]["excl_tax"] == "45.00"
    assert "45.00" in page


@pytest.mark.usefixtures("shipping_methods")
def test_basket_page_labels_each_quantity_shows_the_voucher_form_and_estimates_the_cheapest_delivery(client, product):
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})

    html = client.get("/basket/").content.decode()

    assert re.search(r'<label for="id_form-0-quantity"[^>]*>Quantity of Linen Shirt</label>', html)
    assert re.search(r'<form id="voucher_form"[^>]*>', html) and 'style="display:none"' not in html
    # Standard (weight band 3.50) is cheaper than Express (7.95 + 1.00 per item) for one shirt
    totals = html[html.index("Order total") - 2000 : html.index("Order total")]
    assert "Standard" in totals and "Express" not in totals


def test_the_mini_basket_alone_shows_the_basket_as_it_is_now(client, make_product):
    """`GET /basket/mini/`: what a page takes when its basket changed without a reload (a proposal accepted
    in the support chat): the header's mini-basket, with the lines added since the page was drawn."""
    product = make_product(title="Harbour Lamp", stock=5)
    assert "data-basket-count>0<" in client.get("/basket/mini/").content.decode()

    client.post(f"/basket/add/{product.pk}/", {"quantity": 2})
    response = client.get("/basket/mini/")

    html = response.content.decode()
    assert response.status_code == 200 and 'id="mini-basket"' in html
    assert "data-basket-count>2<" in html and "Harbour Lamp" in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert client.post("/basket/mini/").status_code == 405
