"""Every refund tells the customer: an outbox message written in the refund's transaction, delivered
after commit as one email per refund."""

from __future__ import annotations

import pytest
from django.core import mail

from checkout.payment.errors import RefundError
from checkout.payment.services import order_refund
from sideeffects.delivery import outbox_message_deliver
from sideeffects.models import OutboxMessage
from tests.checkout.lifecycle import order_pay


def test_each_refund_from_the_back_office_emails_the_customer(
    staff_client, order, user, dummy_payments, django_capture_on_commit_callbacks
):
    order_pay(order)
    line = order.lines.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = staff_client.post(f"/admin/order/order/{order.pk}/refund/", {f"line_{line.pk}": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        second = staff_client.post(f"/admin/order/order/{order.pk}/refund/", {"reason": "rest of it"})

    assert (first.status_code, second.status_code) == (302, 302)
    assert [m.subject for m in mail.outbox] == [
        f"Refund of £10.00 for order {order.number}",
        f"Refund of £10.00 for order {order.number}",
    ]
    assert mail.outbox[0].to == [user.email]
    assert "We have refunded £10.00" in mail.outbox[0].body and f"1 x {line.title}" in mail.outbox[0].body
    assert "rest of it" not in mail.outbox[1].body
    assert OutboxMessage.objects.filter(topic="order.notify", payload__kind="refund").count() == 2


def test_the_refund_email_is_written_with_the_refund_and_sent_once(
    order, dummy_payments, django_capture_on_commit_callbacks
):
    order_pay(order)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = order_refund(order=order)
    message = OutboxMessage.objects.get(topic="order.notify", payload__kind="refund")
    assert message.payload["reference"] == str(event.pk)
    assert mail.outbox == []  # nothing leaves before commit
    for callback in callbacks:
        callback()
    outbox_message_deliver(message_id=message.pk)  # the relay runs it again: still one email

    assert len(mail.outbox) == 1


def test_a_refused_refund_writes_no_email(order):
    with pytest.raises(RefundError):
        order_refund(order=order, amount=None)

    assert not OutboxMessage.objects.filter(topic="order.notify", payload__kind="refund").exists()
