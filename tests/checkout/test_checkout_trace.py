"""One checkout request, traced with the in-memory exporter: its trace holds the view, the SQL it ran
and the huey task that sends the order confirmation, and the outbox delivery links back to the request
that wrote the message (ADR 0034)."""

from __future__ import annotations

import pytest
from django.core import mail
from opentelemetry.trace import SpanKind
from rest_framework.test import APIClient

from tests.checkout.conftest import add_line, checkout_body
from tests.tracing import by_trace, spans  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.django_db(transaction=True),  # commits for real: on_commit runs inside the request
    pytest.mark.usefixtures("shipping_methods", "dummy_payments"),
]


def test_a_checkout_request_is_one_trace_with_view_sql_and_the_confirmation_task(spans, product):  # noqa: F811
    client = APIClient()
    add_line(client, product, 1)
    spans.clear()

    response = client.post("/api/v1/checkout/", checkout_body(guest_email="sam@example.com"), format="json")

    assert response.status_code == 201, response.content
    finished = spans.get_finished_spans()
    [request] = [
        s for s in finished if s.kind == SpanKind.SERVER and s.attributes.get("http.route") == "api/v1/checkout/"
    ]
    trace = by_trace(finished, request.context.trace_id)
    sql = [s for s in trace if s.attributes.get("db.system") in ("sqlite", "postgresql")]  # (and Redis on Redis)
    tasks = [s for s in trace if s.kind == SpanKind.CONSUMER and s.name.startswith("task ")]
    [delivery] = [s for s in trace if s.name == "outbox order.notify"]

    assert request.name == "POST api/v1/checkout/"
    assert len(sql) >= 10 and {"SELECT", "INSERT", "UPDATE"} <= {s.attributes["db.operation"] for s in sql}
    assert all("sam@example.com" not in s.attributes["db.statement"] for s in sql)  # placeholders only
    assert [s.name for s in tasks if "outbox_deliver" in s.name], [s.name for s in trace]
    task = next(s for s in tasks if "outbox_deliver" in s.name)
    assert delivery.parent.span_id == task.context.span_id
    assert [link.context.trace_id for link in delivery.links] == [request.context.trace_id]
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]


def test_no_spans_while_tracing_is_off(product):
    from tests.tracing import EXPORTER

    EXPORTER.clear()
    client = APIClient()
    add_line(client, product, 1)

    assert (
        client.post("/api/v1/checkout/", checkout_body(guest_email="sam@example.com"), format="json").status_code == 201
    )
    assert EXPORTER.get_finished_spans() == ()
