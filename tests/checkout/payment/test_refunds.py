"""Refunds through the staff API: whole or per line, recorded as payment events, never more than paid."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from checkout.payment.services import payment_confirm
from tests.api_errors import assert_api_error
from tests.checkout.lifecycle import order_pay, order_place
from tests.conftest import auth_header


def _url(order) -> str:
    return f"/api/v1/staff/orders/{order.number}/refunds/"


def _refund(api_client, staff_user, order, body):
    return api_client.post(_url(order), body, format="json", **auth_header(staff_user))


def test_whole_refund_gives_back_everything_and_marks_the_order_refunded(api_client, staff_user, paid_order):
    response = _refund(api_client, staff_user, paid_order, {"reason": "damaged"})

    paid_order.refresh_from_db()
    body = response.json()
    assert response.status_code == 201
    assert body["amount"] == {"amount": "20.00", "currency": paid_order.currency}
    assert body["order_status"] == "Refunded"
    assert body["reference"].startswith("dummy_re_")
    assert body["lines"] == [{"line_id": paid_order.lines.get().pk, "quantity": 2}]
    event = paid_order.payment_events.get(event_type__name="Refunded")
    assert event.amount == Decimal("20.00")
    assert paid_order.sources.get().amount_refunded == Decimal("20.00")
    change = paid_order.status_changes.get(new_status="Refunded")
    assert (change.changed_by, change.note) == (staff_user, "damaged")


def test_a_retried_refund_with_its_idempotency_key_refunds_once(api_client, staff_user, paid_order):
    headers = {**auth_header(staff_user), "HTTP_IDEMPOTENCY_KEY": "refund-7f3a"}
    body = {"amount": "5.00", "reason": "late delivery"}
    first = api_client.post(_url(paid_order), body, format="json", **headers)
    again = api_client.post(_url(paid_order), body, format="json", **headers)
    other = api_client.post(_url(paid_order), {"amount": "6.00", "reason": "x"}, format="json", **headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert_api_error(other, 422, "idempotency_key_reused")
    assert paid_order.payment_events.filter(event_type__name="Refunded").count() == 1
    assert paid_order.sources.get().amount_refunded == Decimal("5.00")


def test_per_line_refunds_add_up_and_each_unit_is_refunded_once(api_client, staff_user, paid_order):
    line = paid_order.lines.get()

    first = _refund(api_client, staff_user, paid_order, {"lines": [{"line_id": line.pk, "quantity": 1}]})
    paid_order.refresh_from_db()
    assert first.status_code == 201
    assert first.json()["amount"]["amount"] == "10.00"
    assert paid_order.status == "Paid"

    second = _refund(api_client, staff_user, paid_order, {"lines": [{"line_id": line.pk, "quantity": 1}]})
    assert second.status_code == 201
    assert second.json()["order_status"] == "Refunded"

    third = _refund(api_client, staff_user, paid_order, {"lines": [{"line_id": line.pk, "quantity": 1}]})
    assert third.status_code == 409
    assert third.json()["error"]["code"] == "refund_nothing_left"
    assert paid_order.sources.get().amount_refunded == Decimal("20.00")


def test_partial_amount_refund_keeps_the_order_paid(api_client, staff_user, paid_order):
    response = _refund(api_client, staff_user, paid_order, {"amount": "4.50"})

    paid_order.refresh_from_db()
    assert response.status_code == 201
    assert response.json()["amount"]["amount"] == "4.50"
    assert paid_order.status == "Paid"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"amount": "20.01"}, 409, "refund_too_much"),
        ({"amount": "0"}, 400, "validation_error"),
        ({"amount": "abc"}, 400, "validation_error"),
        ({"lines": [{"line_id": 999999, "quantity": 1}]}, 409, "refund_line_unknown"),
        ({"lines": [{"line_id": "LINE", "quantity": 3}]}, 409, "refund_line_quantity"),
        ({"lines": [{"line_id": "LINE", "quantity": 0}]}, 400, "validation_error"),
        ({"lines": "all"}, 400, "validation_error"),
    ],
)
def test_impossible_refunds_are_refused_and_change_nothing(api_client, staff_user, paid_order, body, status, code):
    if "lines" in body and isinstance(body["lines"], list) and body["lines"][0]["line_id"] == "LINE":
        body = {"lines": [{**body["lines"][0], "line_id": paid_order.lines.get().pk}]}

    response = _refund(api_client, staff_user, paid_order, body)

    paid_order.refresh_from_db()
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert paid_order.status == "Paid"
    assert paid_order.sources.get().amount_refunded == 0
    assert not paid_order.payment_events.filter(event_type__name="Refunded").exists()


def test_an_unpaid_order_has_nothing_to_refund(api_client, staff_user, order):
    response = _refund(api_client, staff_user, order, {})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "refund_nothing_left"


def test_refunds_are_for_staff_with_the_order_permission(api_client, user, paid_order, db):
    anonymous = api_client.post(_url(paid_order), {}, format="json")
    shopper = api_client.post(_url(paid_order), {}, format="json", **auth_header(user))
    clerk = get_user_model().objects.create_user(email="clerk@example.com", password="x-long-password-1")
    get_user_model().objects.filter(pk=clerk.pk).update(is_staff=True)
    clerk.refresh_from_db()
    no_permission = api_client.post(_url(paid_order), {}, format="json", **auth_header(clerk))
    clerk.user_permissions.add(Permission.objects.get(codename="change_order"))
    clerk = get_user_model().objects.get(pk=clerk.pk)
    allowed = api_client.post(_url(paid_order), {}, format="json", **auth_header(clerk))

    assert (anonymous.status_code, shopper.status_code, no_permission.status_code) == (401, 403, 403)
    assert allowed.status_code == 201
    assert (
        api_client.post("/api/v1/staff/orders/nope/refunds/", {}, format="json", **auth_header(clerk)).status_code
        == 404
    )


def test_stripe_refund_goes_to_stripe_for_the_amount(api_client, staff_user, order, fake_stripe):
    attempt = order_pay(order, gateway="stripe")
    fake_stripe.succeed(attempt.reference)
    assert payment_confirm(attempt=attempt, amount=Decimal("20.00"), currency=order.currency) == "paid"

    response = _refund(api_client, staff_user, order, {"amount": "7.25"})

    assert response.status_code == 201
    refund = fake_stripe.refunds[-1]
    assert (refund["payment_intent"], refund["amount"]) == (attempt.reference, 725)
    assert response.json()["reference"] == refund["id"]


def test_stripe_refusing_a_refund_records_nothing(api_client, staff_user, order, fake_stripe):
    attempt = order_pay(order, gateway="stripe")
    fake_stripe.succeed(attempt.reference)
    payment_confirm(attempt=attempt, amount=Decimal("20.00"), currency=order.currency)
    fake_stripe.fail_with = 500

    response = _refund(api_client, staff_user, order, {})

    order.refresh_from_db()
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "payment_provider_error"
    assert order.status == "Paid"
    assert order.sources.get().amount_refunded == 0


def test_refunding_a_discounted_line_unit_by_unit_adds_up_to_what_was_paid(
    api_client, staff_user, user, dummy_payments
):
    from oscar.core.loading import get_model

    order = order_place(user=user, quantity=3)
    # as if an offer had taken 20.00 off the line: 10.00 for three units does not divide evenly
    get_model("order", "Line").objects.filter(order=order).update(line_price_incl_tax=Decimal("10.00"))
    order_pay(order)
    line = order.lines.get()

    one_unit = {"lines": [{"line_id": line.pk, "quantity": 1}]}
    amounts = [_refund(api_client, staff_user, order, one_unit).json()["amount"]["amount"] for _ in range(3)]

    assert amounts == ["3.33", "3.33", "3.34"]
