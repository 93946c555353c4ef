"""Staff's steps on a return are in the audit trail (ADR 0047): who approved or rejected which line and
why, what was received and restocked, the refund - from the staff API and the back office - and the
order's History shows them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audittrail.models import AuditLogEntry, Source
from backoffice.roles import ORDER_MANAGER
from checkout.returns.models import ReturnLine, ReturnRequest
from tests.checkout.returns.api.test_returns_api import _ask, _client, _member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reasons")]
UPDATE = AuditLogEntry.Action.UPDATE


def test_staff_api_decisions_receipt_and_refund_are_recorded_with_the_agent_and_before_after(delivered_order, user):
    created = _ask(_client(user), delivered_order).json()
    manager = _member(ORDER_MANAGER)
    staff = _client(manager)
    one, two = (line["id"] for line in created["lines"])
    base = f"/api/v1/staff/returns/{created['id']}"

    staff.post(f"{base}/approve/", {"lines": [{"id": one, "note": "ok"}]}, format="json")
    staff.post(f"{base}/reject/", {"note": "Worn."}, format="json")
    staff.post(f"{base}/receive/", {"lines": [{"id": one, "restock": True}]}, format="json")
    assert staff.post(f"{base}/refund/").status_code == 200

    decided = AuditLogEntry.objects.get_for_object(ReturnLine.objects.get(pk=two)).filter(action=UPDATE).get()
    assert decided.changes["decision"] == ["pending", "rejected"] and decided.changes["staff_note"] == ["", "Worn."]
    assert (decided.actor, decided.source) == (manager, Source.API)
    statuses = [
        entry.changes["status"]
        for entry in AuditLogEntry.objects.get_for_object(ReturnRequest.objects.get(pk=created["id"]))
        .filter(action=UPDATE, changes__has_key="status")
        .order_by("pk")
    ]
    assert statuses == [["requested", "approved"], ["approved", "received"], ["received", "refunded"]]


def test_the_customer_s_own_request_is_not_a_staff_change(delivered_order, user):
    _ask(_client(user), delivered_order)

    # (the returns fixtures may have put back the default reasons outside any request: not this test's concern)
    assert not AuditLogEntry.objects.filter(
        content_type__app_label="returns", content_type__model__in=["returnrequest", "returnline"]
    ).exists()


def test_the_order_s_history_shows_its_returns(delivered_order, user, staff_client):
    created = _ask(_client(user), delivered_order).json()
    one, _two = (line["id"] for line in created["lines"])
    _client(_member(ORDER_MANAGER)).post(
        f"/api/v1/staff/returns/{created['id']}/approve/", {"lines": [{"id": one, "note": "ok"}]}, format="json"
    )

    history = staff_client.get(reverse("admin:order_order_history", args=[delivered_order.pk])).content.decode()

    assert "pending → approved" in history
