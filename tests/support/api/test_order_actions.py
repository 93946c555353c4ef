"""Agents act on the shopper's orders from the console: resend the confirmation, cancel an unpaid order,
refund lines, add a note - each limited by the agent's role, each recorded on the order and in the chat."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from oscar.core.loading import get_model

from backoffice.roles import ORDER_MANAGER, SUPPORT_AGENT, staff_roles_apply
from sideeffects.models import OutboxMessage
from support import services
from support.models import Message
from tests.api_errors import assert_api_error
from tests.checkout.lifecycle import order_pay, order_place
from tests.conftest import auth_header

pytestmark = pytest.mark.django_db

OrderNote = get_model("order", "OrderNote")


def _staff(email: str, *roles: str):
    staff_roles_apply()
    user = get_user_model().objects.create_user(email=email, password="a-long-password-1", first_name="Robin")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def support_agent(db):
    return _staff("support@example.com", SUPPORT_AGENT)


@pytest.fixture
def order_manager(db):
    return _staff("manager@example.com", SUPPORT_AGENT, ORDER_MANAGER)


@pytest.fixture
def order(user):
    return order_place(user=user)


@pytest.fixture
def conversation(user, order):
    return services.conversation_start(customer=user, subject="My order", body="Where is it?", order_id=order.pk)


def _url(conversation, order, action: str) -> str:
    return f"/api/v1/support/conversations/{conversation.pk}/orders/{order.number}/{action}/"


def _post(api_client, agent, conversation, order, action: str, body=None, **headers):
    return api_client.post(
        _url(conversation, order, action), body or {}, format="json", **auth_header(agent), **headers
    )


def _system_messages(conversation) -> list[str]:
    return list(conversation.messages.filter(role=Message.Role.SYSTEM).values_list("body", flat=True))


def test_an_agent_resends_the_confirmation_once_per_request_through_the_outbox(
    api_client, support_agent, conversation, order, user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(api_client, support_agent, conversation, order, "resend-confirmation")
    with django_capture_on_commit_callbacks(execute=True):
        second = _post(api_client, support_agent, conversation, order, "resend-confirmation")

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["order"] == {"number": str(order.number), "status": "Pending payment"}
    assert first.json()["message"]["role"] == "system"
    resent = [m for m in mail.outbox if m.subject.endswith(f"order {order.number}")]
    assert len(resent) == 2 and resent[0].to == [user.email]
    assert OutboxMessage.objects.filter(topic="order.notify", payload__reference__startswith="resend-").count() == 2
    notes = list(OrderNote.objects.filter(order=order).values_list("message", flat=True))
    assert len(notes) == 2 and f"support conversation #{conversation.pk}" in notes[0]
    assert "support@example.com" in notes[0]
    assert _system_messages(conversation) == [f"Robin sent the confirmation of order {order.number} again."] * 2


def test_an_agent_adds_a_note_the_shopper_does_not_read(api_client, support_agent, conversation, order):
    response = _post(api_client, support_agent, conversation, order, "notes", {"message": "Promised a call back"})

    assert response.status_code == 200
    note = OrderNote.objects.get(order=order)
    assert note.user == support_agent and note.message.startswith("Promised a call back")
    assert f"#{conversation.pk}" in note.message
    assert _system_messages(conversation) == [f"Robin added a note to order {order.number}."]


@pytest.mark.parametrize("body", [{}, {"message": ""}, {"message": 5}, {"message": "a\x00b"}, {"message": "x" * 2001}])
def test_a_note_without_proper_text_is_refused(api_client, support_agent, conversation, order, body):
    assert_api_error(_post(api_client, support_agent, conversation, order, "notes", body), 400)
    assert not OrderNote.objects.filter(order=order).exists()


@pytest.mark.parametrize("action", ["cancel", "refund"])
def test_an_agent_without_the_order_manager_role_may_not_cancel_or_refund(
    api_client, support_agent, conversation, order, action
):
    body = {"lines": [{"line": order.lines.get().pk, "quantity": 1}]} if action == "refund" else {}
    assert_api_error(_post(api_client, support_agent, conversation, order, action, body), 403)
    order.refresh_from_db()
    assert order.status == "Pending payment" and _system_messages(conversation) == []


@pytest.mark.parametrize("action", ["resend-confirmation", "notes", "cancel", "refund"])
def test_a_shopper_may_not_act_on_orders(api_client, user, conversation, order, action):
    assert_api_error(_post(api_client, user, conversation, order, action, {"message": "x"}), 403)


def test_an_order_manager_cancels_an_unpaid_order(api_client, order_manager, conversation, order):
    response = _post(api_client, order_manager, conversation, order, "cancel", {"reason": "Ordered twice"})

    order.refresh_from_db()
    assert response.status_code == 200 and response.json()["order"]["status"] == "Cancelled"
    assert order.status == "Cancelled"
    assert order.status_changes.get(new_status="Cancelled").changed_by == order_manager
    assert "Cancelled (Ordered twice) by Robin" in OrderNote.objects.get(order=order).message
    assert _system_messages(conversation) == [f"Robin cancelled order {order.number}."]


def test_a_paid_order_is_not_cancelled_but_answers_409(api_client, order_manager, conversation, order, dummy_payments):
    order_pay(order)

    assert_api_error(_post(api_client, order_manager, conversation, order, "cancel"), 409, "order_not_unpaid")
    order.refresh_from_db()
    assert order.status == "Paid" and _system_messages(conversation) == []


def test_an_order_manager_refunds_a_line_through_the_gateway(
    api_client, order_manager, conversation, order, user, dummy_payments, django_capture_on_commit_callbacks
):
    order_pay(order)
    line = order.lines.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            api_client, order_manager, conversation, order, "refund",
            {"lines": [{"line": line.pk, "quantity": 1}], "reason": "Arrived broken"},
        )  # fmt: skip

    order.refresh_from_db()
    assert response.status_code == 200, response.content
    assert response.json()["order"]["status"] == "Paid"  # one of two units
    event = order.payment_events.get(event_type__name="Refunded")
    assert event.amount == Decimal("10.00") and event.reference.startswith("dummy_re_")
    assert order.sources.get().amount_refunded == Decimal("10.00")
    assert [(q.line_id, q.quantity) for q in event.line_quantities.all()] == [(line.pk, 1)]
    assert [m.subject for m in mail.outbox] == [f"Refund of £10.00 for order {order.number}"]
    assert any(
        "Arrived broken" in note for note in OrderNote.objects.filter(order=order).values_list("message", flat=True)
    )
    assert _system_messages(conversation) == [
        f"Robin refunded 10.00 {order.currency} on order {order.number} (1 × {line.title})."
    ]


def test_refunding_more_units_than_are_left_answers_409(api_client, order_manager, conversation, order, dummy_payments):
    order_pay(order)
    line = order.lines.get()

    response = _post(
        api_client, order_manager, conversation, order, "refund", {"lines": [{"line": line.pk, "quantity": 3}]}
    )

    assert_api_error(response, 409, "refund_line_quantity")
    assert order.sources.get().amount_refunded == Decimal("0.00")


def test_refunding_an_unpaid_order_answers_409(api_client, order_manager, conversation, order):
    response = _post(
        api_client,
        order_manager,
        conversation,
        order,
        "refund",
        {"lines": [{"line": order.lines.get().pk, "quantity": 1}]},
    )
    assert_api_error(response, 409, "refund_nothing_left")


@pytest.mark.parametrize(
    "body",
    [{}, {"lines": []}, {"lines": "all"}, {"lines": [{"line": 1.5, "quantity": 1}]},
     {"lines": [{"line": 1, "quantity": 0}]}, {"lines": [{"line": 1, "quantity": 1}, {"line": 1, "quantity": 1}]},
     {"lines": [{"line": 1, "quantity": 1}], "reason": "\x00"}, {"lines": [{"line": 2**70, "quantity": 1}]}],
)  # fmt: skip
def test_hostile_refund_bodies_are_refused_with_400(api_client, order_manager, conversation, order, body):
    assert_api_error(_post(api_client, order_manager, conversation, order, "refund", body), 400)


@pytest.mark.parametrize("action", ["resend-confirmation", "notes", "cancel", "refund"])
def test_another_shoppers_order_answers_404(api_client, order_manager, conversation, action):
    other = get_user_model().objects.create_user(email="other@example.com", password="a-long-password-1")
    theirs = order_place(user=other)
    body = {"message": "x", "lines": [{"line": theirs.lines.get().pk, "quantity": 1}]}

    assert_api_error(_post(api_client, order_manager, conversation, theirs, action, body), 404)
    theirs.refresh_from_db()
    assert theirs.status == "Pending payment" and not OrderNote.objects.filter(order=theirs).exists()


def test_a_guests_orders_are_those_placed_with_the_conversations_email(api_client, order_manager):
    mine = order_place()
    mine.guest_email = "Guest@Example.com"
    mine.save(update_fields=["guest_email"])
    theirs = order_place()
    theirs.guest_email = "someone@example.com"
    theirs.save(update_fields=["guest_email"])
    conversation = services.conversation_start(
        guest_email="guest@example.com", session_key="s" * 32, subject="Order", body="Hello"
    )

    listed = api_client.get(f"/api/v1/support/conversations/{conversation.pk}/orders/", **auth_header(order_manager))
    assert listed.json()["can_manage_orders"] is True
    assert [o["number"] for o in listed.json()["orders"]] == [str(mine.number)]
    assert _post(api_client, order_manager, conversation, mine, "cancel").status_code == 200
    assert_api_error(_post(api_client, order_manager, conversation, theirs, "cancel"), 404)


def test_the_console_lists_the_shoppers_orders_with_their_lines(api_client, support_agent, conversation, order):
    response = api_client.get(f"/api/v1/support/conversations/{conversation.pk}/orders/", **auth_header(support_agent))

    assert response.status_code == 200
    assert response.json()["can_manage_orders"] is False
    [listed] = response.json()["orders"]
    line = order.lines.get()
    assert listed["number"] == str(order.number) and listed["unpaid"] is True
    assert listed["lines"] == [{"id": line.pk, "title": line.title, "quantity": 2, "price": "20.00"}]


def test_actions_are_broadcast_to_the_conversation_live(
    api_client, support_agent, conversation, order, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("support.events.group_send_many_best_effort", sent.extend)

    with django_capture_on_commit_callbacks(execute=True):
        _post(api_client, support_agent, conversation, order, "notes", {"message": "Checked stock"})

    groups = {group: event for group, event in sent}
    message = groups[f"support.conversation.{conversation.pk}"]["message"]
    assert message["role"] == "system" and message["body"] == f"Robin added a note to order {order.number}."
    assert groups["support.agents"]["message"]["id"] == message["id"]


@pytest.mark.parametrize("number", ["x" * 300, "%F0%9F%92%A9", "1%20OR%201=1"])
def test_odd_order_numbers_answer_404(api_client, order_manager, conversation, number):
    url = f"/api/v1/support/conversations/{conversation.pk}/orders/{number}/cancel/"
    assert_api_error(api_client.post(url, {}, format="json", **auth_header(order_manager)), 404)


def test_a_nul_in_the_order_number_is_a_400(api_client, order_manager, conversation):
    url = f"/api/v1/support/conversations/{conversation.pk}/orders/1%002/cancel/"
    assert_api_error(api_client.post(url, {}, format="json", **auth_header(order_manager)), 400, "nul_character")


def test_a_huge_conversation_id_answers_404(api_client, order_manager, order):
    url = f"/api/v1/support/conversations/{'9' * 30}/orders/{order.number}/notes/"
    assert_api_error(api_client.post(url, {"message": "x"}, format="json", **auth_header(order_manager)), 404)
