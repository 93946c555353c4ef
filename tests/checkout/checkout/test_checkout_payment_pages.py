"""The checkout's payment step, preview, thank-you page and an unpaid order's pay page, through the
test client: the shopper chooses a gateway, pays on its page and lands on the thank-you page; declined,
they pay again for the same order, or give the order up and get their basket back."""

import re

import pytest
from django.test import Client
from oscar.core.loading import get_model

from tests.checkout.conftest import ADDRESS_FORM

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_methods", "dummy_payments")]


def _to_payment_step(client, product, quantity=2):
    client.post(f"/basket/add/{product.pk}/", {"quantity": quantity})
    client.post("/checkout/", {"username": "guest@example.com", "options": "anonymous"})
    client.post("/checkout/shipping-address/", ADDRESS_FORM)
    client.post("/checkout/shipping-method/", {"method_code": "express"})
    return client.get("/checkout/payment-method/", follow=True)


def _place(client, product, quantity=2):
    _to_payment_step(client, product, quantity)
    client.post("/checkout/preview/", {"gateway": "dummy"})
    response = client.post("/checkout/preview/", {"action": "place_order"})
    assert response.status_code == 302 and "/payments/dummy/" in response["Location"], response
    return Order.objects.get(), response["Location"]


def test_payment_step_lists_the_gateways_with_what_happens_next_beside_the_summary(client, product):
    page = _to_payment_step(client, product)

    html = page.content.decode()
    assert page.request["PATH_INFO"] == "/checkout/payment-details/"
    assert 'name="gateway" value="dummy"' in html
    assert "Test payment (no money moves)" in html and "approve or decline" in html
    assert 'aria-current="step"' in html and "Order summary" in html
    assert "2 &times;" in html and "Linen Shirt" in html and "Express" in html


def test_payment_step_refuses_a_gateway_the_shop_does_not_offer_with_a_form_error(client, product):
    _to_payment_step(client, product)

    response = client.post("/checkout/preview/", {"gateway": "stripe"})

    assert response.status_code == 400
    assert "Please choose one of the ways to pay" in response.content.decode()


def test_preview_needs_a_gateway_and_shows_address_method_gateway_and_total(client, product):
    _to_payment_step(client, product)
    assert client.get("/checkout/preview/")["Location"].endswith("/checkout/payment-details/")

    client.post("/checkout/preview/", {"gateway": "dummy"})
    html = client.get("/checkout/preview/").content.decode()

    assert "1 High Street" in html and "Express" in html
    assert re.search(r"data-preview-gateway>Test payment", html)
    assert re.search(r"data-preview-total>£\d+\.\d\d<", html)


def test_approved_payment_lands_on_the_thank_you_page_with_the_guest_status_link(client, product):
    order, pay_page = _place(client, product)

    response = client.post(pay_page, {"decision": "approve"})

    assert response.status_code == 302 and response["Location"] == "/checkout/thank-you/"
    thanks = client.get("/checkout/thank-you/").content.decode()
    assert order.number in thanks and "data-order-status>Paid<" in thanks
    assert "What happens next" in thanks and "guest@example.com" in thanks
    status_link = re.search(r'href="([^"]+)" data-order-status-link', thanks).group(1)
    assert status_link == f"/accounts/order-status/{order.number}/{order.verification_hash()}/"
    status_page = client.get(status_link)
    assert status_page.status_code == 200 and order.number in status_page.content.decode()


def test_declined_payment_returns_to_the_pay_page_and_the_same_order_is_paid_on_retry(client, product):
    order, pay_page = _place(client, product)

    declined = client.post(pay_page, {"decision": "decline"}, follow=True)

    assert declined.redirect_chain[-1][0] == f"/checkout/order/{order.number}/pay/"
    html = declined.content.decode()
    assert "Your payment was declined" in html and 'value="dummy"' in html
    retry = client.post(f"/checkout/order/{order.number}/pay/", {"action": "pay", "gateway": "dummy"})
    assert "/payments/dummy/" in retry["Location"] and retry["Location"] != pay_page
    assert client.post(retry["Location"], {"decision": "approve"})["Location"] == "/checkout/thank-you/"
    order.refresh_from_db()
    assert order.status == "Paid" and Order.objects.count() == 1
    assert order.payment_attempts.count() == 2


def test_pay_page_opens_for_another_browser_only_with_the_signed_key(client, product):
    order, _ = _place(client, product)
    stranger = Client()

    assert stranger.get(f"/checkout/order/{order.number}/pay/").status_code == 404
    assert stranger.get(f"/checkout/order/{order.number}/pay/?key=forged").status_code == 404
    page = stranger.get(f"/checkout/order/{order.number}/pay/?key={order.verification_hash()}")
    assert page.status_code == 200 and "Pay now" in page.content.decode()


def test_giving_up_an_unpaid_order_cancels_it_and_refills_the_basket(client, product):
    order, _ = _place(client, product)
    assert StockRecord.objects.get().num_allocated == 2

    response = client.post(f"/checkout/order/{order.number}/pay/", {"action": "change"}, follow=True)

    order.refresh_from_db()
    assert response.redirect_chain[-1][0] == "/basket/"
    assert order.status == "Cancelled"
    assert StockRecord.objects.get().num_allocated == 0
    assert "back in your basket" in response.content.decode()
    assert response.context["basket"].num_items == 2


def test_pay_page_of_a_paid_order_offers_no_payment(client, product):
    order, pay_page = _place(client, product)
    client.post(pay_page, {"decision": "approve"})

    page = client.get(f"/checkout/order/{order.number}/pay/")
    again = client.post(f"/checkout/order/{order.number}/pay/", {"action": "pay", "gateway": "dummy"})

    assert "no longer waiting for payment" in page.content.decode()
    assert again.status_code == 200 and Order.objects.get().payment_attempts.count() == 1


def test_order_emails_link_the_host_the_shop_was_served_from(
    client, product, django_capture_on_commit_callbacks, settings
):
    from django.core import mail

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "shop.test"]
    with django_capture_on_commit_callbacks(execute=True):
        _to_payment_step(client, product)
        client.post("/checkout/preview/", {"gateway": "dummy"}, HTTP_HOST="shop.test:8123")
        placed = client.post("/checkout/preview/", {"action": "place_order"}, HTTP_HOST="shop.test:8123")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(placed["Location"], {"decision": "approve"}, HTTP_HOST="shop.test:8123")

    order = Order.objects.get()
    bodies = [m.body for m in mail.outbox if order.number in m.subject]
    assert len(bodies) == 2  # confirmation, payment
    for body in bodies:
        assert f"http://shop.test:8123/accounts/order-status/{order.number}/" in body
