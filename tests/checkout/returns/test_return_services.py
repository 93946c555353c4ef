"""The returns services: who may ask for what and when, each staff step, the restock under locks, and
the refund through the order's gateway minus restocking fees - with an email at each step."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from oscar.core.loading import get_model

from checkout.invoices.models import Document
from checkout.order.statuses import REFUNDED
from checkout.payment.errors import RefundError
from checkout.payment.services import order_refund
from checkout.returns.errors import ReturnInvalid, ReturnStateError
from checkout.returns.models import ReturnLine, ReturnNotification, ReturnPolicy, ReturnReason, ReturnRequest
from checkout.returns.notifications import return_notification_send
from checkout.returns.selectors import order_returnable_lines, return_refund_quote
from checkout.returns.services import (
    ReturnLineInput,
    return_lines_approve,
    return_lines_decide,
    return_lines_reject,
    return_receive,
    return_refund,
    return_request_create,
)
from sideeffects.delivery import outbox_message_deliver
from sideeffects.models import OutboxMessage
from tests.checkout.lifecycle import order_place

OrderStatusChange = get_model("order", "OrderStatusChange")


def _lines(order):
    return list(order.lines.order_by("pk"))


def _ask(order, *items, by=None):
    return return_request_create(
        order=order, by=by, lines=[ReturnLineInput(order_line_id=pk, quantity=q, reason_code=r) for pk, q, r in items]
    )


def test_a_delivered_order_returns_lines_with_a_reason_each(delivered_order, user, reasons):
    first, second = _lines(delivered_order)

    request = _ask(delivered_order, (first.pk, 2, "wrong-size"), (second.pk, 1, "damaged"), by=user)

    assert request.status == ReturnRequest.Status.REQUESTED and request.requested_by == user
    assert [(line.order_line_id, line.quantity, line.reason.code) for line in request.lines.all()] == [
        (first.pk, 2, "wrong-size"),
        (second.pk, 1, "damaged"),
    ]
    assert OutboxMessage.objects.filter(topic="returns.notify", payload__kind="requested").count() == 1


def test_only_delivered_orders_can_be_returned(db, user, dummy_payments, reasons):
    unpaid = order_place(user=user)
    with pytest.raises(ReturnStateError) as refused:
        _ask(unpaid, (unpaid.lines.get().pk, 1, "wrong-size"))
    assert refused.value.get_codes() == "return_order_not_delivered"
    assert not ReturnRequest.objects.exists()


def test_the_return_window_closes_the_policy_s_days_after_delivery(delivered_order, reasons):
    ReturnPolicy.objects.update(window_days=14)
    line = _lines(delivered_order)[0]
    OrderStatusChange.objects.filter(order=delivered_order, new_status="Delivered").update(
        date_created=delivered_order.date_placed - timedelta(days=15)
    )
    with pytest.raises(ReturnStateError) as refused:
        _ask(delivered_order, (line.pk, 1, "wrong-size"))
    assert refused.value.get_codes() == "return_window_closed"

    ReturnPolicy.objects.update(window_days=30)
    assert _ask(delivered_order, (line.pk, 1, "wrong-size")).pk


@pytest.mark.parametrize(
    ("quantity", "reason", "code"),
    [
        (3, "wrong-size", "return_quantity_invalid"),
        (0, "wrong-size", "return_quantity_invalid"),
        (1, "no-such-reason", "return_reason_invalid"),
    ],
)
def test_a_bad_line_is_refused(delivered_order, reasons, quantity, reason, code):
    line = _lines(delivered_order)[0]
    with pytest.raises(ReturnInvalid) as refused:
        _ask(delivered_order, (line.pk, quantity, reason))
    assert refused.value.get_codes() == code
    assert not ReturnRequest.objects.exists()


def test_an_inactive_reason_and_other_orders_lines_are_refused(delivered_order, user, dummy_payments, reasons):
    ReturnReason.objects.filter(code="damaged").update(is_active=False)
    line = _lines(delivered_order)[0]
    other = order_place(user=user)
    with pytest.raises(ReturnInvalid) as inactive:
        _ask(delivered_order, (line.pk, 1, "damaged"))
    with pytest.raises(ReturnInvalid) as foreign:
        _ask(delivered_order, (other.lines.get().pk, 1, "wrong-size"))
    with pytest.raises(ReturnInvalid) as twice:
        _ask(delivered_order, (line.pk, 1, "wrong-size"), (line.pk, 1, "wrong-size"))
    with pytest.raises(ReturnInvalid) as nothing:
        _ask(delivered_order)
    assert [e.value.get_codes() for e in (inactive, foreign, twice, nothing)] == [
        "return_reason_invalid", "return_line_unknown", "return_line_duplicate", "return_lines_required"
    ]  # fmt: skip


def test_units_already_asked_for_cannot_be_asked_for_again_unless_rejected(delivered_order, reasons):
    line = _lines(delivered_order)[0]
    first = _ask(delivered_order, (line.pk, 1, "wrong-size"))
    _ask(delivered_order, (line.pk, 1, "wrong-size"))
    with pytest.raises(ReturnInvalid) as refused:
        _ask(delivered_order, (line.pk, 1, "wrong-size"))
    assert refused.value.get_codes() == "return_quantity_invalid"

    return_lines_reject(return_request=first, note="Worn.")
    assert _ask(delivered_order, (line.pk, 1, "wrong-size")).pk


def test_units_refunded_from_the_order_screen_are_not_returnable(delivered_order, reasons):
    first, second = _lines(delivered_order)
    order_refund(order=delivered_order, lines={first.pk: 1})

    assert {item.line.pk: item.returnable for item in order_returnable_lines(order=delivered_order)} == {
        first.pk: 1,
        second.pk: 1,
    }


def test_a_return_from_request_to_refund(
    delivered_order, user, staff_user, reasons, django_capture_on_commit_callbacks
):
    first, second = _lines(delivered_order)
    stock_before = first.stockrecord.num_in_stock, second.stockrecord.num_in_stock
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(delivered_order, (first.pk, 2, "changed-mind"), (second.pk, 1, "damaged"), by=user)
    with django_capture_on_commit_callbacks(execute=True):
        ids = [line.pk for line in request.lines.all()]
        return_lines_approve(return_request=request, notes={ids[0]: "Fine."}, by=staff_user)
        request = return_lines_approve(return_request=request, notes={ids[1]: "Sorry!"}, by=staff_user)
    assert request.status == ReturnRequest.Status.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        request = return_receive(return_request=request, restock={ids[1]: False}, by=staff_user)
    first.stockrecord.refresh_from_db()
    second.stockrecord.refresh_from_db()
    assert (first.stockrecord.num_in_stock, second.stockrecord.num_in_stock) == (stock_before[0] + 2, stock_before[1])
    assert [line.restocked for line in request.lines.all()] == [True, False]
    with django_capture_on_commit_callbacks(execute=True):
        request = return_refund(return_request=request, by=staff_user)

    # 2 x 10.00 with a 10% fee (changed-mind) + 25.00 without: 45.00 - 2.00
    assert (request.refund_amount, request.fee_amount) == (Decimal("43.00"), Decimal("2.00"))
    assert request.status == ReturnRequest.Status.REFUNDED and request.refund_event.amount == Decimal("43.00")
    assert {q.line_id: q.quantity for q in request.refund_event.line_quantities.all()} == {first.pk: 2, second.pk: 1}
    delivered_order.refresh_from_db()
    assert delivered_order.status != REFUNDED  # shipping (and the fee) were not refunded
    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        f"Return {request.pk} for order {delivered_order.number}: we have your request",
        f"Return {request.pk} for order {delivered_order.number} is approved",
        f"Return {request.pk} for order {delivered_order.number}: we have received your items",
        # one email for the refund: the return's, carrying the credit note (no second order refund receipt)
        f"Return {request.pk} for order {delivered_order.number}: £43.00 refunded",
    ]
    assert all(message.to == [user.email] for message in mail.outbox)
    assert "restocking fee of £2.00" in mail.outbox[-1].body and "Sorry!" in mail.outbox[1].body
    credit_note = Document.objects.get(kind="credit_note", refund=request.refund_event)
    [(filename, content, mimetype)] = mail.outbox[-1].attachments
    assert (filename, mimetype) == (credit_note.filename, "application/pdf") and content.startswith(b"%PDF")
    assert f"Your credit note is attached ({credit_note.filename})" in mail.outbox[-1].body


def test_each_step_only_from_its_state(delivered_order, reasons):
    request = _ask(delivered_order, (_lines(delivered_order)[0].pk, 1, "wrong-size"))
    with pytest.raises(ReturnStateError):
        return_receive(return_request=request)
    with pytest.raises(ReturnStateError):
        return_refund(return_request=request)
    request = return_lines_reject(return_request=request, note="Outside our policy.")
    assert request.status == ReturnRequest.Status.REJECTED
    assert request.lines.get().staff_note == "Outside our policy."
    with pytest.raises(ReturnStateError) as refused:
        return_lines_approve(return_request=request)
    assert refused.value.get_codes() == "return_status_invalid"


def test_a_line_is_decided_once_and_the_request_waits_for_every_line(delivered_order, reasons):
    first, second = _lines(delivered_order)
    request = _ask(delivered_order, (first.pk, 1, "wrong-size"), (second.pk, 1, "wrong-size"))
    one, two = (line.pk for line in request.lines.all())
    request = return_lines_reject(return_request=request, notes={one: "No."})
    assert request.status == ReturnRequest.Status.REQUESTED
    with pytest.raises(ReturnStateError) as again:
        return_lines_approve(return_request=request, notes={one: ""})
    with pytest.raises(ReturnInvalid) as unknown:
        return_lines_approve(return_request=request, notes={999999: ""})
    assert (again.value.get_codes(), unknown.value.get_codes()) == ("return_line_decided", "return_line_unknown")
    request = return_lines_approve(return_request=request, notes={two: ""})
    assert request.status == ReturnRequest.Status.APPROVED
    with pytest.raises(ReturnInvalid):
        return_receive(return_request=request, restock={one: True})  # a rejected line is not received


def test_a_return_whose_fees_take_everything_is_refunded_with_nothing_paid(delivered_order, reasons):
    ReturnReason.objects.filter(code="wrong-size").update(restocking_fee_percent=Decimal("100"))
    request = _ask(delivered_order, (_lines(delivered_order)[0].pk, 1, "wrong-size"))
    request = return_receive(return_request=return_lines_approve(return_request=request))
    request = return_refund(return_request=request)
    assert (request.refund_amount, request.fee_amount, request.refund_event) == (
        Decimal("0.00"),
        Decimal("10.00"),
        None,
    )


def test_the_refund_fails_cleanly_when_the_units_were_refunded_meanwhile(delivered_order, reasons):
    line = _lines(delivered_order)[0]
    request = _ask(delivered_order, (line.pk, 2, "wrong-size"))
    request = return_receive(return_request=return_lines_approve(return_request=request))
    order_refund(order=delivered_order, lines={line.pk: 2})
    with pytest.raises(RefundError):
        return_refund(return_request=request)
    request.refresh_from_db()
    assert request.status == ReturnRequest.Status.RECEIVED


def test_a_quote_prices_units_as_paid_and_rounds_each_fee(delivered_order, reasons):
    ReturnReason.objects.filter(code="wrong-size").update(restocking_fee_percent=Decimal("12.5"))
    line = _lines(delivered_order)[1]  # 1 x 25.00
    request = _ask(delivered_order, (line.pk, 1, "wrong-size"))
    request = return_lines_approve(return_request=request)
    quote = return_refund_quote(return_request=request)
    assert (quote.gross, quote.fee, quote.net, quote.lines) == (
        Decimal("25.00"), Decimal("3.13"), Decimal("21.87"), {line.pk: 1}
    )  # fmt: skip


def test_each_return_email_is_sent_once(delivered_order, reasons, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(delivered_order, (_lines(delivered_order)[0].pk, 1, "wrong-size"))
    message = OutboxMessage.objects.get(topic="returns.notify")
    outbox_message_deliver(message_id=message.pk)  # the relay runs it again
    assert len(mail.outbox) == 1
    assert ReturnNotification.objects.filter(request=request, kind="requested").count() == 1
    assert return_notification_send(return_id=0, kind="requested") is False
    with pytest.raises(ValueError):
        return_notification_send(return_id=request.pk, kind="nonsense")


def test_a_guest_is_emailed_at_the_checkout_address(guest_order, reasons, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(guest_order, (_lines(guest_order)[0].pk, 1, "wrong-size"))
    assert mail.outbox[0].to == ["guest@example.com"]
    assert f"/accounts/order-status/{guest_order.number}/" in mail.outbox[0].body
    assert request.requested_by is None
    assert ReturnLine.objects.filter(request=request).count() == 1


def test_the_decision_email_lists_each_line_s_decision_and_note(
    delivered_order, reasons, django_capture_on_commit_callbacks
):
    first, second = _lines(delivered_order)
    request = _ask(delivered_order, (first.pk, 1, "wrong-size"), (second.pk, 1, "damaged"))
    one, two = (line.pk for line in request.lines.all())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return_lines_reject(return_request=request, notes={one: "Worn."})
        return_lines_approve(return_request=request, notes={two: "Sorry it broke."})
    assert len(mail.outbox) == 1  # one email once every line is decided
    body = mail.outbox[0].body
    assert f"1 x {first.title}: rejected - Worn." in body and f"1 x {second.title}: approved - Sorry it broke." in body

    other = _ask(delivered_order, (first.pk, 1, "wrong-size"))
    with django_capture_on_commit_callbacks(execute=True):
        return_lines_reject(return_request=other, note="Past the fair-use limit.")
    assert mail.outbox[-1].subject == f"Return {other.pk} for order {delivered_order.number} is not accepted"
    assert "Past the fair-use limit." in mail.outbox[-1].body


def test_staff_decide_several_lines_in_one_step(delivered_order, reasons):
    first, second = _lines(delivered_order)
    request = _ask(delivered_order, (first.pk, 1, "wrong-size"), (second.pk, 1, "damaged"))
    one, two = (line.pk for line in request.lines.all())
    with pytest.raises(ReturnInvalid) as bad:
        return_lines_decide(return_request=request, decisions={one: ("maybe", "")})
    assert bad.value.get_codes() == "return_decision_invalid"

    request = return_lines_decide(return_request=request, decisions={one: ("approved", "ok"), two: ("rejected", "no")})

    assert request.status == ReturnRequest.Status.APPROVED
    assert [(line.decision, line.staff_note) for line in request.lines.all()] == [
        ("approved", "ok"),
        ("rejected", "no"),
    ]


def test_a_return_s_refund_gets_its_credit_note(delivered_order, reasons):
    """The return refunds through the order's refund, so the credit note (ADR 45) credits the refund."""
    line = _lines(delivered_order)[1]  # 1 x 25.00
    request = _ask(delivered_order, (line.pk, 1, "damaged"))
    request = return_refund(return_request=return_receive(return_request=return_lines_approve(return_request=request)))

    note = Document.objects.get(kind="credit_note", refund=request.refund_event)
    assert note.order_id == delivered_order.pk and note.number.startswith("CN-")
