"""Orders API: a customer's orders, guest lookup, cancel while unpaid; never another's order."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from checkout.order.services import order_shipping_event_add, order_status_set
from checkout.payment.models import PaymentAttempt
from checkout.payment.services import payment_confirm
from tests.api_errors import assert_api_error
from tests.checkout.conftest import add_line, checkout_body
from tests.conftest import auth_header

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_methods", "dummy_payments")]


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=auth_header(user)["HTTP_AUTHORIZATION"])
    return client


def _place(client, product, quantity=1, **overrides):
    add_line(client, product, quantity)
    response = client.post("/api/v1/checkout/", checkout_body(**overrides), format="json")
    assert response.status_code == 201, response.content
    return response.json()["order"]["number"]


def test_customer_lists_their_orders_newest_first(user, product, make_product):
    client = _client(user)
    first = _place(client, product)
    second = _place(client, make_product(title="Mug"), 2)

    body = client.get("/api/v1/orders/").json()

    assert [order["number"] for order in body["results"]] == [second, first]
    assert body["results"][0]["num_items"] == 2
    assert body["results"][0]["total"]["currency"] == "GBP"


def test_order_detail_has_snapshots_totals_statuses_payments_and_shipping_events(user, product):
    client = _client(user)
    number = _place(client, product, 2)
    order = Order.objects.get(number=number)
    product.title = "Renamed Shirt"
    product.save()
    attempt = PaymentAttempt.objects.get(order=order)
    payment_confirm(attempt=attempt, amount=attempt.amount, currency=attempt.currency)
    order_shipping_event_add(order=order, carrier="Royal Mail", tracking_number="RM123GB")

    body = client.get(f"/api/v1/orders/{number}/").json()

    assert body["lines"][0]["title"] == "Linen Shirt"  # the name when ordered
    assert body["lines"][0]["unit_price"]["excl_tax"] == "25.00"
    assert body["status"] == "Shipped"
    assert [c["new_status"] for c in body["status_history"]] == ["Paid", "Processing", "Shipped"]
    assert body["totals"]["total"] == {"currency": "GBP", "excl_tax": "59.95", "incl_tax": "59.95"}
    assert [(p["amount_debited"], p["currency"]) for p in body["payments"]] == [("59.95", "GBP")]
    event = body["shipping_events"][0]
    assert (event["type"], event["carrier"], event["tracking_number"]) == ("Shipped", "Royal Mail", "RM123GB")
    assert event["lines"] == [{"line": body["lines"][0]["id"], "quantity": 2}]
    assert body["can_cancel"] is False


def test_order_detail_is_a_fixed_number_of_queries(user, product, make_product):
    client = _client(user)
    add_line(client, make_product(title="A"), 1)
    add_line(client, make_product(title="B"), 1)
    number = _place(client, product)

    with CaptureQueriesContext(connection) as queries:
        client.get(f"/api/v1/orders/{number}/")

    assert len(queries) <= 14


def test_nobody_sees_another_customers_order(user, staff_user, product):
    number = _place(_client(user), product)

    assert_api_error(_client(staff_user).get(f"/api/v1/orders/{number}/"), 404, "not_found")
    assert_api_error(_client(staff_user).post(f"/api/v1/orders/{number}/cancel/", {}, format="json"), 404, "not_found")
    assert _client(staff_user).get("/api/v1/orders/").json()["count"] == 0
    assert_api_error(_client().get("/api/v1/orders/"), 401, "not_authenticated")
    assert_api_error(_client().get(f"/api/v1/orders/{number}/"), 401, "not_authenticated")


def test_guest_finds_their_order_by_number_and_email(product):
    number = _place(_client(), product, guest_email="guest@example.com")

    found = _client().post("/api/v1/orders/lookup/", {"number": number, "email": "GUEST@example.com"}, format="json")
    wrong = _client().post("/api/v1/orders/lookup/", {"number": number, "email": "x@example.com"}, format="json")

    assert found.status_code == 200
    assert found.json()["number"] == number
    assert wrong.status_code == 404
    assert wrong.json()["error"]["code"] == "not_found"


def test_account_order_cannot_be_looked_up_as_a_guest(user, product):
    number = _place(_client(user), product)

    response = _client().post("/api/v1/orders/lookup/", {"number": number, "email": user.email}, format="json")

    assert_api_error(response, 404, "not_found")


def test_customer_cancels_an_unpaid_order_and_the_stock_comes_back(user, product):
    client = _client(user)
    number = _place(client, product, 3)
    assert StockRecord.objects.get(product=product).num_allocated == 3

    response = client.post(f"/api/v1/orders/{number}/cancel/", {"reason": "Changed my mind"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "Cancelled"
    assert StockRecord.objects.get(product=product).num_allocated == 0
    again = client.post(f"/api/v1/orders/{number}/cancel/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "order_status_invalid"


def test_paid_order_cannot_be_cancelled_by_the_customer(user, product):
    client = _client(user)
    number = _place(client, product)
    order_status_set(order=Order.objects.get(number=number), status="Paid")

    response = client.post(f"/api/v1/orders/{number}/cancel/", {}, format="json")

    assert_api_error(response, 409, "order_status_invalid")
    assert Order.objects.get(number=number).status == "Paid"


def test_guest_cancels_with_their_email(product):
    number = _place(_client(), product, guest_email="guest@example.com")

    assert_api_error(_client().post(f"/api/v1/orders/{number}/cancel/", {}, format="json"), 404, "not_found")
    response = _client().post(f"/api/v1/orders/{number}/cancel/", {"email": "guest@example.com"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "Cancelled"
