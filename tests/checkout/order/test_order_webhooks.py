"""Each order event reaches the merchant's apps once, from the one service where it happens (ADR 0048)."""

from __future__ import annotations

import pytest
from oscar.core.loading import get_model

from checkout.order.services import order_cancel, order_shipping_event_add, order_status_set
from checkout.payment.services import order_refund
from eventhooks.events import EVENT_TYPES
from eventhooks.models import WebhookDelivery, WebhookEvent
from eventhooks.services import webhook_endpoint_create
from tests.checkout.conftest import add_line, checkout_body
from tests.checkout.lifecycle import order_pay

Order = get_model("order", "Order")


@pytest.fixture
def endpoint(db):
    return webhook_endpoint_create(url="http://127.0.0.1:9/hooks", events=list(EVENT_TYPES))


def events(kind: str | None = None) -> list[WebhookEvent]:
    queryset = WebhookEvent.objects.order_by("pk")
    return list(queryset.filter(type=kind) if kind else queryset)


@pytest.mark.usefixtures("shipping_methods", "dummy_payments")
def test_placing_an_order_through_the_api_publishes_order_created_once(endpoint, api_client, make_product):
    mug = make_product(title="Mug", price="8.50", stock=5)
    add_line(api_client, mug, 2)

    response = api_client.post("/api/v1/checkout/", checkout_body(guest_email="api@example.com"), format="json")

    assert response.status_code == 201, response.content
    order = Order.objects.get(guest_email="api@example.com")
    [event] = events()
    assert event.type == "order.created"
    assert event.data["number"] == order.number and event.data["status"] == "Pending payment"
    assert event.data["total"] == {"currency": "GBP", "excl_tax": str(order.total_excl_tax),
                                   "incl_tax": str(order.total_incl_tax)}  # fmt: skip
    assert event.data["customer"] == {"id": None, "guest": True}
    assert [(line["title"], line["quantity"], line["product_id"]) for line in event.data["lines"]] == [
        ("Mug", 2, mug.pk)
    ]
    assert "api@example.com" not in str(event.data)  # no personal data in webhook payloads
    assert WebhookDelivery.objects.get(event=event).endpoint == endpoint


def test_paying_an_order_publishes_order_paid_once(endpoint, order, dummy_payments):
    order_pay(order)

    [event] = events()
    assert (event.type, event.data["number"], event.data["status"]) == ("order.paid", order.number, "Paid")
    assert event.data["customer"] == {"id": order.user_id, "guest": False}


def test_cancelling_an_order_publishes_order_cancelled_with_the_reason(endpoint, order):
    order_cancel(order=order, reason="Changed my mind.")

    [event] = events()
    assert event.type == "order.cancelled"
    assert (event.data["status"], event.data["reason"]) == ("Cancelled", "Changed my mind.")


def test_shipping_an_order_publishes_order_shipped_once_with_the_tracking(endpoint, order, staff_user):
    order_status_set(order=order, status="Paid")
    order_shipping_event_add(order=order, carrier="Royal Mail", tracking_number="RM123GB", by=staff_user)
    order_shipping_event_add(order=order, carrier="DPD", tracking_number="DPD9", by=staff_user)  # a re-sent parcel

    [event] = events("order.shipped")
    assert event.data["status"] == "Shipped"
    assert [(e["carrier"], e["tracking_number"]) for e in event.data["shipping_events"]] == [("Royal Mail", "RM123GB")]
    assert [e.type for e in events()] == ["order.paid", "order.shipped"]


def test_each_refund_publishes_order_refunded_with_its_amount_and_lines(endpoint, paid_order, staff_user):
    line = paid_order.lines.get()
    WebhookEvent.objects.all().delete()

    order_refund(order=paid_order, lines={line.pk: 1}, by=staff_user, reason="Broken")
    order_refund(order=paid_order, by=staff_user)

    first, second = events("order.refunded")
    assert first.data["refund"]["amount"] == {"amount": "10.00", "currency": "GBP"}
    assert first.data["refund"]["lines"] == [{"line_id": line.pk, "quantity": 1}]
    assert (first.data["refund"]["reason"], first.data["status"]) == ("Broken", "Paid")
    assert second.data["status"] == "Refunded" and second.data["refund"]["id"] != first.data["refund"]["id"]
    assert [e.type for e in events()] == ["order.refunded", "order.refunded"]


def test_a_refused_change_publishes_nothing(endpoint, order):
    with pytest.raises(Exception):  # noqa: B017, PT011 - whichever error: nothing may be published
        order_status_set(order=order, status="Shipped")
    assert events() == []


def test_endpoints_not_subscribed_get_nothing(order, dummy_payments):
    webhook_endpoint_create(url="http://127.0.0.1:9/hooks", events=["order.created"])
    order_pay(order)
    assert events() == []
