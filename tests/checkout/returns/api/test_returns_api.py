"""Returns API: the customer's returns of their own delivered orders, and staff's steps - every
operation, who may call it, and each error in the one format."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from backoffice.roles import MERCHANDISER, ORDER_MANAGER
from checkout.returns.models import ReturnRequest
from tests.api_errors import assert_api_error
from tests.checkout.lifecycle import order_place
from tests.checkout.returns.conftest import delivered_order_place
from tests.conftest import auth_header

StockRecord = get_model("partner", "StockRecord")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reasons")]


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=auth_header(user)["HTTP_AUTHORIZATION"])
    return client


def _member(role: str):
    member = get_user_model().objects.create_user(
        email=f"{role.split()[0].lower()}@example.com", password="pw-12345678"
    )
    member.is_staff = True
    member.save(update_fields=["is_staff"])
    member.groups.add(Group.objects.get(name=role))
    return member


def _ask(client, order, **overrides):
    lines = [{"line_id": line.pk, "quantity": line.quantity, "reason": "wrong-size"} for line in order.lines.all()]
    return client.post(f"/api/v1/orders/{order.number}/returns/", {"lines": lines, **overrides}, format="json")


def test_customer_sees_what_can_be_returned_until_when_and_why(delivered_order, user):
    body = _client(user).get(f"/api/v1/orders/{delivered_order.number}/returns/").json()

    assert body["can_return"] is True and body["deadline"]
    assert [(item["line_id"], item["returnable"]) for item in body["returnable_lines"]] == [
        (line.pk, line.quantity) for line in delivered_order.lines.order_by("pk")
    ]
    assert {"code": "changed-mind", "name": "Changed my mind", "restocking_fee_percent": "10.00"} in body["reasons"]
    assert body["returns"] == []


def test_customer_asks_for_a_return_and_reads_it_back(delivered_order, user, django_capture_on_commit_callbacks):
    client = _client(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, delivered_order, comment="Too small")

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "requested" and created["order"] == delivered_order.number
    assert created["comment"] == "Too small" and created["refund"] is None and created["restocking_fee"] is None
    assert [(line["quantity"], line["reason"]["code"], line["decision"]) for line in created["lines"]] == [
        (2, "wrong-size", "pending"),
        (1, "wrong-size", "pending"),
    ]
    assert client.get(f"/api/v1/returns/{created['id']}/").json() == created
    listed = client.get(f"/api/v1/orders/{delivered_order.number}/returns/").json()
    assert [item["id"] for item in listed["returns"]] == [created["id"]] and listed["can_return"] is False
    assert mail.outbox[-1].subject.endswith("we have your request")


def test_a_retried_request_with_the_same_key_asks_once(delivered_order, user):
    client = _client(user)
    body = {"lines": [{"line_id": delivered_order.lines.first().pk, "quantity": 1, "reason": "damaged"}]}
    url = f"/api/v1/orders/{delivered_order.number}/returns/"
    one = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="return-1")
    two = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="return-1")
    assert (one.status_code, two.status_code) == (201, 201) and one.json() == two.json()
    assert ReturnRequest.objects.count() == 1


def test_returns_are_only_the_owner_s(delivered_order, user):
    stranger = get_user_model().objects.create_user(email="other@example.com", password="pw-12345678")
    created = _ask(_client(user), delivered_order).json()

    assert_api_error(_client(stranger).get(f"/api/v1/orders/{delivered_order.number}/returns/"), 404, "not_found")
    assert_api_error(_ask(_client(stranger), delivered_order), 404, "not_found")
    assert_api_error(_client(stranger).get(f"/api/v1/returns/{created['id']}/"), 404, "not_found")
    assert_api_error(_client(user).get("/api/v1/returns/999999/"), 404, "not_found")
    assert_api_error(_client().get(f"/api/v1/returns/{created['id']}/"), 401)
    assert_api_error(_client().get(f"/api/v1/orders/{delivered_order.number}/returns/"), 401)


def test_a_guest_order_is_not_reachable_through_the_api(guest_order, user):
    assert_api_error(_client(user).get(f"/api/v1/orders/{guest_order.number}/returns/"), 404, "not_found")


@pytest.mark.parametrize(
    "body",
    [
        {"lines": []},
        {"lines": "all"},
        {"lines": [{"line_id": 1, "quantity": "lots", "reason": "damaged"}]},
        {"lines": [{"line_id": 1, "quantity": 10**30, "reason": "damaged"}]},
        {"lines": [{"line_id": 1, "quantity": 1, "reason": 7}]},
        {"lines": [{"line_id": 1, "quantity": 1, "reason": "a"}, {"line_id": 1, "quantity": 1, "reason": "a"}]},
        {"lines": [{"line_id": 1, "quantity": 1, "reason": "damaged"}], "comment": "x" * 1001},
    ],
)
def test_malformed_input_is_a_validation_error(delivered_order, user, body):
    response = _client(user).post(f"/api/v1/orders/{delivered_order.number}/returns/", body, format="json")
    assert_api_error(response, 400, "validation_error")


def test_a_nul_byte_is_refused(delivered_order, user):
    body = {"lines": [{"line_id": 1, "quantity": 1, "reason": "damaged"}], "comment": "a\x00b"}
    response = _client(user).post(f"/api/v1/orders/{delivered_order.number}/returns/", body, format="json")
    assert_api_error(response, 400, "parse_error")  # the JSON parser refuses NUL before any view code
    assert not ReturnRequest.objects.exists()


def test_business_rules_answer_with_their_codes(delivered_order, user, dummy_payments):
    client = _client(user)
    line = delivered_order.lines.order_by("pk").first()
    url = f"/api/v1/orders/{delivered_order.number}/returns/"
    too_many = client.post(url, {"lines": [{"line_id": line.pk, "quantity": 3, "reason": "damaged"}]}, format="json")
    bad_reason = client.post(url, {"lines": [{"line_id": line.pk, "quantity": 1, "reason": "meh"}]}, format="json")
    foreign = client.post(url, {"lines": [{"line_id": 999999, "quantity": 1, "reason": "damaged"}]}, format="json")
    assert_api_error(too_many, 400, "return_quantity_invalid")
    assert_api_error(bad_reason, 400, "return_reason_invalid")
    assert_api_error(foreign, 400, "return_line_unknown")

    unpaid = order_place(user=user)
    body = {"lines": [{"line_id": unpaid.lines.get().pk, "quantity": 1, "reason": "damaged"}]}
    assert_api_error(
        client.post(f"/api/v1/orders/{unpaid.number}/returns/", body, format="json"), 409, "return_order_not_delivered"
    )


def test_staff_take_a_return_from_approval_to_refund(delivered_order, user, django_capture_on_commit_callbacks):
    created = _ask(_client(user), delivered_order).json()
    staff = _client(_member(ORDER_MANAGER))
    one, two = (line["id"] for line in created["lines"])
    record = StockRecord.objects.get(pk=delivered_order.lines.order_by("pk").first().stockrecord_id)
    stock = record.num_in_stock

    approved = staff.post(f"/api/v1/staff/returns/{created['id']}/approve/", {"lines": [{"id": one, "note": "ok"}]},
                          format="json")  # fmt: skip
    assert approved.status_code == 200 and approved.json()["status"] == "requested"
    rejected = staff.post(f"/api/v1/staff/returns/{created['id']}/reject/", {"note": "Worn."}, format="json")
    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["status"] == "approved"
    assert [(line["decision"], line["note"]) for line in rejected.json()["lines"]] == [
        ("approved", "ok"),
        ("rejected", "Worn."),
    ]
    received = staff.post(f"/api/v1/staff/returns/{created['id']}/receive/", {"lines": [{"id": one, "restock": True}]},
                          format="json")  # fmt: skip
    assert received.status_code == 200 and received.json()["status"] == "received"
    record.refresh_from_db()
    assert record.num_in_stock == stock + 2
    with django_capture_on_commit_callbacks(execute=True):
        refunded = staff.post(f"/api/v1/staff/returns/{created['id']}/refund/", HTTP_IDEMPOTENCY_KEY="refund-1")
    replay = staff.post(f"/api/v1/staff/returns/{created['id']}/refund/", HTTP_IDEMPOTENCY_KEY="refund-1")
    assert refunded.status_code == 200, refunded.content
    assert refunded.json()["refund"] == {"amount": "20.00", "currency": "GBP"}
    assert refunded.json()["restocking_fee"] == {"amount": "0.00", "currency": "GBP"}
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    again = staff.post(f"/api/v1/staff/returns/{created['id']}/refund/")
    assert_api_error(again, 409, "return_status_invalid")
    assert _client(user).get(f"/api/v1/returns/{created['id']}/").json()["status"] == "refunded"


def test_staff_steps_out_of_order_are_conflicts(delivered_order, user):
    created = _ask(_client(user), delivered_order).json()
    staff = _client(_member(ORDER_MANAGER))
    base = f"/api/v1/staff/returns/{created['id']}"

    assert_api_error(staff.post(f"{base}/receive/", {}, format="json"), 409, "return_status_invalid")
    assert_api_error(staff.post(f"{base}/refund/"), 409, "return_status_invalid")
    assert staff.post(f"{base}/reject/", {}, format="json").json()["status"] == "rejected"
    assert_api_error(staff.post(f"{base}/approve/", {}, format="json"), 409, "return_status_invalid")


def test_staff_bad_input_is_400(delivered_order, user):
    created = _ask(_client(user), delivered_order).json()
    staff = _client(_member(ORDER_MANAGER))
    base = f"/api/v1/staff/returns/{created['id']}"

    assert_api_error(staff.post(f"{base}/approve/", {"lines": [{"id": 999999}]}, format="json"), 400,
                     "return_line_unknown")  # fmt: skip
    assert_api_error(staff.post(f"{base}/approve/", {"lines": [{"id": "x"}]}, format="json"), 400, "validation_error")
    assert_api_error(staff.post(f"{base}/approve/", {"note": 5}, format="json"), 400, "validation_error")
    staff.post(f"{base}/approve/", {}, format="json")
    assert_api_error(staff.post(f"{base}/receive/", {"lines": [{"id": 999999, "restock": True}]}, format="json"),
                     400, "return_line_unknown")  # fmt: skip
    assert_api_error(staff.post(f"{base}/receive/", {"lines": [{"id": 1}]}, format="json"), 400, "validation_error")


def test_only_order_staff_may_take_the_steps(delivered_order, user):
    created = _ask(_client(user), delivered_order).json()
    base = f"/api/v1/staff/returns/{created['id']}"
    for step in ("approve", "reject", "receive", "refund"):
        assert_api_error(_client().post(f"{base}/{step}/", {}, format="json"), 401)
        assert_api_error(_client(user).post(f"{base}/{step}/", {}, format="json"), 403, "permission_denied")
        assert_api_error(_client(_member(MERCHANDISER)).post(f"{base}/{step}/", {}, format="json"), 403)
        get_user_model().objects.filter(email="merchandiser@example.com").delete()
    assert_api_error(_client(_member(ORDER_MANAGER)).post("/api/v1/staff/returns/999999/approve/", {}, format="json"),
                     404, "not_found")  # fmt: skip
    assert ReturnRequest.objects.get().status == "requested"


def test_a_second_delivered_order_is_returned_on_its_own(user, dummy_payments):
    first = delivered_order_place(user=user)
    second = delivered_order_place(user=user, lines=((1, "5.00"),))
    client = _client(user)
    _ask(client, first)
    assert _ask(client, second).status_code == 201
    assert client.get(f"/api/v1/orders/{second.number}/returns/").json()["returns"][0]["lines"][0]["quantity"] == 1
