"""On PostgreSQL, with real threads: two requests for the same last units of a line, made at the same
moment, never both succeed (the order's row lock serialises them); two refunds of one return pay once."""

from __future__ import annotations

from django.db import connections

from checkout.returns.errors import ReturnInvalid, ReturnStateError
from checkout.returns.models import ReturnReason, ReturnRequest
from checkout.returns.services import (
    ReturnLineInput,
    return_lines_approve,
    return_receive,
    return_refund,
    return_request_create,
)
from tests.checkout.concurrency import (
    CONCURRENCY_MARKS,
    all_at_once,
    postgres_only,  # noqa: F401 - the fixture CONCURRENCY_MARKS uses
)
from tests.checkout.returns.conftest import delivered_order_place

pytestmark = CONCURRENCY_MARKS


def _in_thread(function, *, barrier):
    try:
        barrier.wait(timeout=30)
        return function()
    except (ReturnInvalid, ReturnStateError) as exc:
        return exc.get_codes()
    finally:
        connections.close_all()


def test_the_last_units_are_asked_for_once(user):
    ReturnReason.objects.get_or_create(code="damaged", defaults={"name": "Damaged"})
    order = delivered_order_place(user=user, lines=((2, "10.00"),))
    line = order.lines.get()

    def ask():
        lines = [ReturnLineInput(order_line_id=line.pk, quantity=2, reason_code="damaged")]
        return return_request_create(order=order, lines=lines).pk

    results = all_at_once(_in_thread, [(ask,), (ask,), (ask,)])

    assert sorted(map(str, results))[1:] == ["return_nothing_left", "return_nothing_left"]
    assert ReturnRequest.objects.count() == 1


def test_a_return_is_refunded_once(user):
    ReturnReason.objects.get_or_create(code="damaged", defaults={"name": "Damaged"})
    order = delivered_order_place(user=user, lines=((2, "10.00"),))
    request = return_request_create(
        order=order, lines=[ReturnLineInput(order_line_id=order.lines.get().pk, quantity=2, reason_code="damaged")]
    )
    request = return_receive(return_request=return_lines_approve(return_request=request))

    results = all_at_once(_in_thread, [(lambda: return_refund(return_request=request).status,)] * 2)

    assert sorted(map(str, results)) == ["refunded", "return_status_invalid"]
    assert order.sources.get().amount_refunded == 20
