"""Shipping events with carrier and tracking, shown to the customer; emails and SMS after commit, once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from accounts.sms import SmsSendError
from checkout.order.errors import ShippingEventError
from checkout.order.notifications import order_notifications_add
from checkout.order.services import order_cancel, order_shipping_event_add
from checkout.order.tracking import ShippingEventSerializer
from sideeffects.delivery import outbox_relay
from sideeffects.models import OutboxMessage
from tests.checkout.lifecycle import order_pay, order_place


@pytest.fixture
def shopper_with_phone(user):
    user.phone = "+447700900123"
    user.save(update_fields=["phone"])
    return user


def _subjects() -> list[str]:
    return [message.subject for message in mail.outbox]


def test_placing_an_order_sends_the_confirmation_after_commit(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order = order_place(user=user)
    assert mail.outbox == []  # nothing leaves before the transaction commits

    for callback in callbacks:
        callback()

    assert _subjects() == [f"Your Hypex order {order.number}"]
    assert mail.outbox[0].to == [user.email]
    assert "Total: £20.00" in mail.outbox[0].body


def test_the_confirmation_sms_shows_the_total_as_pages_do(
    shopper_with_phone, sms_provider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(user=shopper_with_phone)

    texts = [message["body"] for message in sms_provider.messages if str(order.number) in message["body"]]
    assert texts == [f"Hypex: we have your order {order.number}. Total £20.00."]


def _deliver_again(*, kind: str) -> None:
    """Run the delivery of `kind` messages once more, as after a worker died before marking them."""
    messages = OutboxMessage.objects.filter(topic="order.notify", payload__kind=kind)
    assert messages.update(status="pending") >= 1
    outbox_relay(grace_seconds=0)


def test_payment_email_and_sms_once_however_often_the_delivery_runs(
    shopper_with_phone, dummy_payments, sms_provider, django_capture_on_commit_callbacks
):
    order = order_place(user=shopper_with_phone)
    with django_capture_on_commit_callbacks(execute=True):
        order_pay(order)
    _deliver_again(kind="payment")  # a retry

    assert _subjects().count(f"Payment received for order {order.number}") == 1
    texts = [message["body"] for message in sms_provider.messages if "payment received" in message["body"]]
    assert len(texts) == 1
    assert sms_provider.messages[-1]["to"] == "+447700900123"
    assert set(order.notifications.filter(kind="payment").values_list("channel", flat=True)) == {"email", "sms"}


def test_shipping_event_moves_the_order_and_tells_the_customer(
    shopper_with_phone, staff_user, dummy_payments, sms_provider, django_capture_on_commit_callbacks
):
    order = order_place(user=shopper_with_phone)
    order_pay(order)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        event = order_shipping_event_add(
            order=order, carrier="Royal Mail", tracking_number="RM123456789GB", by=staff_user
        )

    order.refresh_from_db()
    assert order.status == "Shipped"
    assert [c.new_status for c in order.status_changes.order_by("pk")] == ["Paid", "Processing", "Shipped"]
    assert (event.carrier, event.tracking_number, event.created_by) == ("Royal Mail", "RM123456789GB", staff_user)
    assert event.line_quantities.get().quantity == 2
    assert _subjects() == [f"Order {order.number} is on its way"]
    assert "RM123456789GB" in mail.outbox[0].body
    assert "RM123456789GB" in sms_provider.messages[-1]["body"]
    assert ShippingEventSerializer(order.shipping_events.all(), many=True).data[0]["tracking_number"] == "RM123456789GB"


def test_customer_sees_carrier_and_tracking_on_the_order_page(client, user, password, dummy_payments):
    order = order_place(user=user)
    order_pay(order)
    order_shipping_event_add(order=order, carrier="DHL", tracking_number="JD0001")
    client.login(username=user.email, password=password)

    page = client.get(f"/accounts/orders/{order.number}/")

    assert page.status_code == 200
    assert b"DHL" in page.content and b"JD0001" in page.content


def test_a_second_shipping_event_keeps_both_tracking_numbers(user, dummy_payments):
    order = order_place(user=user)
    order_pay(order)
    order_shipping_event_add(order=order, carrier="DHL", tracking_number="JD0001")

    order_shipping_event_add(order=order, carrier="DHL", tracking_number="JD0002", notes="re-sent")

    assert list(order.shipping_events.order_by("pk").values_list("tracking_number", flat=True)) == ["JD0001", "JD0002"]


@pytest.mark.parametrize(("carrier", "tracking"), [("", "X1"), ("DHL", " "), ("", "")])
def test_shipping_event_needs_carrier_and_tracking(order, dummy_payments, carrier, tracking):
    order_pay(order)

    with pytest.raises(ShippingEventError):
        order_shipping_event_add(order=order, carrier=carrier, tracking_number=tracking)

    assert not order.shipping_events.exists()


def test_an_unpaid_order_cannot_ship(order):
    with pytest.raises(ShippingEventError):
        order_shipping_event_add(order=order, carrier="DHL", tracking_number="JD1")

    order.refresh_from_db()
    assert order.status == "Pending payment"


def test_cancellation_email(order, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, reason="Not paid in time.")

    assert f"Order {order.number} has been cancelled" in _subjects()
    assert "Not paid in time." in mail.outbox[-1].body


def test_failed_sms_is_retried_without_sending_the_email_again(
    shopper_with_phone, sms_provider, django_capture_on_commit_callbacks
):
    order = order_place(user=shopper_with_phone)
    sms_provider.fail_with = 503

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        order_notifications_add(order_id=order.pk, kind="cancellation")
    sms = OutboxMessage.objects.get(topic="order.notify", payload__kind="cancellation", payload__channel="sms")
    assert sms.status == "pending" and sms.attempts == 1 and SmsSendError.__name__ in sms.last_error
    sms_provider.fail_with = None
    OutboxMessage.objects.filter(pk=sms.pk).update(next_attempt_at=sms.created_at)  # the back-off is over
    outbox_relay(grace_seconds=0)

    assert _subjects().count(f"Order {order.number} has been cancelled") == 1
    assert len([m for m in sms_provider.messages if "cancelled" in m["body"]]) == 1


def test_every_guest_email_links_the_signed_status_page_and_the_unpaid_confirmation_the_pay_page(
    db, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://shop.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(user=None)
        order.guest_email = "guest@example.com"
        order.save(update_fields=["guest_email"])
        order_notifications_add(order_id=order.pk, kind="confirmation")
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, reason="Not paid in time.")

    status_url = f"https://shop.example.com/accounts/order-status/{order.number}/{order.verification_hash()}/"
    confirmation, cancellation = mail.outbox[-2:]
    assert f"Follow your order: {status_url}" in confirmation.body
    assert f"Follow your order: {status_url}" in cancellation.body
    pay_url = f"https://shop.example.com/checkout/order/{order.number}/pay/?key="
    assert pay_url in confirmation.body and pay_url not in cancellation.body


def test_a_customers_emails_link_their_account_order_page(order, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, reason="Changed my mind.")

    assert f"/accounts/orders/{order.number}/" in mail.outbox[-1].body
