"""The "paid" email carries the invoice PDF, and each refund's email its credit note: built when the outbox
delivers the email, from the stored document, and sent once however often the delivery runs."""

from __future__ import annotations

import pytest
from django.core import mail

from checkout.invoices.models import Document
from checkout.order.services import order_cancel
from checkout.payment.services import order_refund
from sideeffects.delivery import outbox_message_deliver
from sideeffects.models import OutboxMessage
from tests.checkout.invoices.pdf_text import pdf_text
from tests.checkout.lifecycle import order_pay

pytestmark = pytest.mark.usefixtures("dummy_payments", "merchant")


def _email(subject_part: str):
    [message] = [m for m in mail.outbox if subject_part in m.subject]
    return message


def test_the_paid_email_attaches_the_invoice(order, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_pay(order)
    invoice = Document.objects.get(order=order)

    message = _email("ayment")
    assert message.to == [user.email]
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"invoice-{invoice.number}.pdf", "application/pdf")
    text = pdf_text(content)
    assert f"Invoice {invoice.number}" in text and f"Order: {order.number}" in text and "£20.00" in text
    assert f"Your invoice is attached (invoice-{invoice.number}.pdf)" in message.body


def test_a_redelivered_paid_email_is_not_sent_twice(order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_pay(order)
    message = OutboxMessage.objects.get(topic="order.notify", payload__kind="payment", payload__channel="email")

    outbox_message_deliver(message_id=message.pk)  # the relay runs it again

    assert len([m for m in mail.outbox if m.attachments]) == 1


def test_each_refund_email_attaches_its_credit_note(paid_order, django_capture_on_commit_callbacks):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        refund = order_refund(order=paid_order, lines={paid_order.lines.get().pk: 1})

    note = Document.objects.get(refund=refund)
    message = _email("Refund")
    [(filename, content, _mimetype)] = message.attachments
    assert filename == f"credit-note-{note.number}.pdf"
    assert f"Credit note {note.number}" in pdf_text(content)
    assert "Your credit note is attached" in message.body


def test_emails_of_other_kinds_carry_nothing(order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order)

    assert mail.outbox and all(m.attachments == [] for m in mail.outbox)
