"""The first payment through a gateway while another transaction records one too, on PostgreSQL: one
`SourceType` per gateway. Found by the invoice numbering test under load: `get_or_create` by Oscar's
non-unique `name` made a second "dummy" row (code "dummy-2") when another payment committed between the
lookup and the insert, and every payment after that failed on `MultipleObjectsReturned`. The interleaving
is made deterministic here: the other transaction commits right after this one's first lookup."""

from __future__ import annotations

import threading

from django.db import connection, connections
from oscar.core.loading import get_model

from checkout.payment.gateways import gateway_get
from checkout.payment.models import PaymentAttempt
from checkout.payment.services import payment_confirm
from tests.checkout.concurrency import (
    CONCURRENCY_MARKS,
    postgres_only,  # noqa: F401 - the fixture CONCURRENCY_MARKS uses
)
from tests.checkout.lifecycle import order_pay, order_place

SourceType = get_model("payment", "SourceType")
pytestmark = CONCURRENCY_MARKS


def _source_type_committed_elsewhere() -> None:
    """Another payment's transaction, on its own connection, records the gateway's source type and commits."""
    try:
        SourceType.objects.create(name="dummy", code="dummy")
    finally:
        connections.close_all()


def test_a_source_type_committed_between_lookup_and_insert_is_reused(user):
    SourceType.objects.all().delete()
    order = order_place(user=user)
    token = gateway_get("dummy").payment_start(order=order, request=None).attempt_token
    attempt = PaymentAttempt.objects.get(token=token)
    interleaved = []

    def after_first_lookup(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not interleaved and sql.lstrip().upper().startswith("SELECT") and '"payment_sourcetype"' in sql:
            interleaved.append(sql)
            other = threading.Thread(target=_source_type_committed_elsewhere)
            other.start()
            other.join(timeout=30)
        return result

    with connection.execute_wrapper(after_first_lookup):
        outcome = payment_confirm(attempt=attempt, amount=attempt.amount, currency=attempt.currency)

    assert interleaved and outcome == "paid"
    assert list(SourceType.objects.values_list("name", "code")) == [("dummy", "dummy")]
    later = order_place(user=user)
    order_pay(later)  # and payments after it still find the one row
    later.refresh_from_db()
    assert later.status == "Paid"
