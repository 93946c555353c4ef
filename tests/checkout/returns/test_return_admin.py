"""Returns in the back office, as staff through the test client: the list and screen, each step's page
(decide per line, received with restock per line, refund), the policy and reasons, and the roles."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from oscar.core.loading import get_model

from backoffice.roles import MERCHANDISER, ORDER_MANAGER
from checkout.returns.models import ReturnPolicy, ReturnReason, ReturnRequest
from checkout.returns.services import ReturnLineInput, return_request_create

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.usefixtures("reasons")


def _member(role: str):
    member = get_user_model().objects.create_user(
        email=f"{role.split()[0].lower()}@example.com", password="pw-12345678"
    )
    member.is_staff = True
    member.save(update_fields=["is_staff"])
    member.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def requested(delivered_order):
    return return_request_create(
        order=delivered_order,
        comment="Too small",
        lines=[
            ReturnLineInput(order_line_id=line.pk, quantity=line.quantity, reason_code="changed-mind")
            for line in delivered_order.lines.order_by("pk")
        ],
    )


def test_staff_take_a_return_through_every_step(requested, delivered_order):
    client = _member(ORDER_MANAGER)
    base = f"/admin/returns/returnrequest/{requested.pk}"
    listing = client.get("/admin/returns/returnrequest/").content.decode()
    assert delivered_order.number in listing and "requested" in listing
    screen = client.get(f"{base}/change/").content.decode()
    assert "Too small" in screen and f"{base}/decide/" in screen

    one, two = (line.pk for line in requested.lines.all())
    assert client.get(f"{base}/decide/").status_code == 200
    decided = client.post(
        f"{base}/decide/",
        {f"decision_{one}": "approved", f"note_{one}": "Thanks", f"decision_{two}": "rejected", f"note_{two}": "Used"},
    )
    assert decided.status_code == 302
    requested.refresh_from_db()
    assert requested.status == "approved"
    assert [(line.decision, line.staff_note) for line in requested.lines.all()] == [
        ("approved", "Thanks"),
        ("rejected", "Used"),
    ]

    record = StockRecord.objects.get(pk=requested.lines.get(pk=one).order_line.stockrecord_id)
    stock = record.num_in_stock
    assert client.get(f"{base}/receive/").status_code == 200
    assert client.post(f"{base}/receive/", {}).status_code == 302  # the box unticked: not restocked
    record.refresh_from_db()
    assert record.num_in_stock == stock and requested.lines.get(pk=one).restocked is False

    quote = client.get(f"{base}/refund/").content.decode()
    assert "£20.00" in quote and "£2.00" in quote and "£18.00" in quote  # 2 x 10.00, 10% fee
    assert client.post(f"{base}/refund/", {}).status_code == 400  # not confirmed
    assert client.post(f"{base}/refund/", {"confirm": "on"}).status_code == 302
    requested.refresh_from_db()
    assert (requested.status, requested.refund_amount, requested.fee_amount) == (
        "refunded",
        Decimal("18.00"),
        Decimal("2.00"),
    )
    assert "£18.00" in client.get(f"{base}/change/").content.decode()


def test_a_step_out_of_order_is_a_form_error(requested):
    client = _member(ORDER_MANAGER)
    base = f"/admin/returns/returnrequest/{requested.pk}"
    response = client.post(f"{base}/refund/", {"confirm": "on"})
    assert response.status_code == 409 and "cannot be refunded now" in response.content.decode()
    assert client.post(f"{base}/decide/", {}).status_code == 400  # nothing decided
    one = requested.lines.first().pk
    assert client.post(f"{base}/decide/", {f"decision_{one}": "rejected"}).status_code == 302
    received = client.post(f"{base}/receive/", {})
    assert received.status_code == 409
    assert ReturnRequest.objects.get().status == "requested"


def test_the_receive_page_restocks_the_ticked_lines(requested):
    client = _member(ORDER_MANAGER)
    base = f"/admin/returns/returnrequest/{requested.pk}"
    client.post(f"{base}/decide/", {f"decision_{line.pk}": "approved" for line in requested.lines.all()})
    lines = list(requested.lines.select_related("order_line"))
    stock = {line.pk: line.order_line.stockrecord.num_in_stock for line in lines}
    client.post(f"{base}/receive/", {f"restock_{lines[0].pk}": "on"})
    after = {line.pk: StockRecord.objects.get(pk=line.order_line.stockrecord_id).num_in_stock for line in lines}
    assert after == {lines[0].pk: stock[lines[0].pk] + 2, lines[1].pk: stock[lines[1].pk]}


def test_the_merchant_edits_the_window_and_the_reasons(db):
    client = _member(ORDER_MANAGER)
    policy = ReturnPolicy.objects.get()
    response = client.post(
        f"/admin/returns/returnpolicy/{policy.pk}/change/", {"window_days": "14", "instructions": "Use the label."}
    )
    assert response.status_code == 302
    assert ReturnPolicy.objects.get().window_days == 14
    assert client.get("/admin/returns/returnpolicy/add/").status_code == 403  # one policy
    bad = client.post(f"/admin/returns/returnpolicy/{policy.pk}/change/", {"window_days": "0"})
    assert bad.status_code == 200 and ReturnPolicy.objects.get().window_days == 14

    added = client.post(
        "/admin/returns/returnreason/add/",
        {
            "code": "too-late",
            "name": "Arrived too late",
            "is_active": "on",
            "restocking_fee_percent": "5",
            "position": "9",
        },
    )
    assert added.status_code == 302
    assert ReturnReason.objects.get(code="too-late").restocking_fee_percent == Decimal("5")
    over = client.post(
        "/admin/returns/returnreason/add/",
        {"code": "x", "name": "X", "restocking_fee_percent": "101", "position": "1"},
    )
    assert over.status_code == 200 and not ReturnReason.objects.filter(code="x").exists()


def test_only_order_managers_see_returns(requested):
    assert _member(MERCHANDISER).get("/admin/returns/returnrequest/").status_code == 403
    manager = _member(ORDER_MANAGER)
    assert manager.get("/admin/returns/returnrequest/").status_code == 200
    assert 'href="/admin/returns/returnrequest/"' in manager.get("/admin/").content.decode()
    assert manager.get("/admin/returns/returnrequest/add/").status_code == 403


def test_superuser_sees_the_list_with_search_and_filter(staff_client, requested, delivered_order):
    found = staff_client.get("/admin/returns/returnrequest/", {"q": delivered_order.number})
    filtered = staff_client.get("/admin/returns/returnrequest/", {"status__exact": "refunded"})
    assert delivered_order.number in found.content.decode()
    assert f"/admin/returns/returnrequest/{requested.pk}/change/" not in filtered.content.decode()
