"""The gateway contract and the dummy gateway's hosted pay page: the order is paid once, on approval."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checkout.order.services import order_cancel
from checkout.payment.errors import PaymentGatewayUnknown, PaymentNotPayable
from checkout.payment.gateways import PaymentAction, gateway_codes, gateway_get
from checkout.payment.models import PaymentAttempt


def test_gateway_codes_follow_the_setting(settings):
    settings.PAYMENT_GATEWAYS = ["stripe", "dummy", "nonsense"]

    assert gateway_codes() == ["stripe", "dummy"]


def test_a_gateway_that_is_not_enabled_is_unknown(dummy_payments):
    with pytest.raises(PaymentGatewayUnknown):
        gateway_get("stripe")


def test_dummy_payment_start_redirects_to_our_own_pay_page(order, dummy_payments, rf):
    action = gateway_get("dummy").payment_start(order=order, request=rf.get("/"))

    attempt = PaymentAttempt.objects.get(order=order)
    assert isinstance(action, PaymentAction)
    assert action.gateway == "dummy" and action.type == "redirect" and action.client_secret == ""
    assert action.redirect_url == f"http://testserver/payments/dummy/{attempt.token}/"
    assert (attempt.amount, attempt.currency, attempt.status) == (Decimal("20.00"), order.currency, "started")


def test_payment_cannot_start_for_an_order_not_waiting_for_payment(order, dummy_payments):
    order_cancel(order=order)

    with pytest.raises(PaymentNotPayable):
        gateway_get("dummy").payment_start(order=order, request=None)


def test_pay_page_shows_amount_and_approving_marks_the_order_paid_once(order, dummy_payments, client):
    action = gateway_get("dummy").payment_start(order=order, request=None)

    page = client.get(action.redirect_url)
    assert page.status_code == 200
    assert b"20.00" in page.content and b"Approve payment" in page.content

    first = client.post(action.redirect_url, {"decision": "approve"})
    second = client.post(action.redirect_url, {"decision": "approve"})

    order.refresh_from_db()
    assert first.status_code == 200 and b"Payment approved" in first.content
    assert b"already recorded" in second.content
    assert order.status == "Paid"
    assert order.status_changes.filter(new_status="Paid").count() == 1
    event = order.payment_events.get()
    assert (event.event_type.name, event.amount) == ("Paid", Decimal("20.00"))
    assert event.line_quantities.get().quantity == 2
    source = order.sources.get()
    assert (source.amount_debited, source.source_type.name) == (Decimal("20.00"), "dummy")


def test_declining_leaves_the_order_waiting_and_a_new_attempt_can_pay(order, dummy_payments, client):
    declined = gateway_get("dummy").payment_start(order=order, request=None)
    response = client.post(declined.redirect_url, {"decision": "decline"})
    order.refresh_from_db()
    assert b"Payment declined" in response.content
    assert order.status == "Pending payment"
    assert client.post(declined.redirect_url, {"decision": "approve"}).status_code == 200
    order.refresh_from_db()
    assert order.status == "Pending payment"  # a declined attempt cannot be approved afterwards

    retry = gateway_get("dummy").payment_start(order=order, request=None)
    client.post(retry.redirect_url, {"decision": "approve"})

    order.refresh_from_db()
    assert order.status == "Paid"


def test_pay_page_with_a_bad_decision_or_token_is_a_client_error(order, dummy_payments, client):
    action = gateway_get("dummy").payment_start(order=order, request=None)

    assert client.post(action.redirect_url, {"decision": "maybe"}).status_code == 400
    assert client.get("/payments/dummy/not-a-token/").status_code == 404


def test_pay_page_is_gone_when_the_dummy_gateway_is_disabled(order, dummy_payments, client, settings):
    action = gateway_get("dummy").payment_start(order=order, request=None)
    settings.PAYMENT_GATEWAYS = ["stripe"]

    assert client.get(action.redirect_url).status_code == 404


def test_an_existing_pay_page_cannot_approve_once_the_switch_is_off(order, dummy_payments, client, settings):
    # Given a dummy pay page opened while the gateway was on, and a stale PAYMENT_GATEWAYS still listing it
    action = gateway_get("dummy").payment_start(order=order, request=None)
    settings.PAYMENT_DUMMY_GATEWAY_ENABLED = False

    # When the payer approves through the page
    response = client.post(action.redirect_url, {"decision": "approve"})

    # Then the page is gone and the order is not paid
    order.refresh_from_db()
    assert response.status_code == 404
    assert order.status == "Pending payment"
    assert gateway_codes() == []
    with pytest.raises(PaymentGatewayUnknown):
        gateway_get("dummy")
