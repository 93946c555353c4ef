"""Support chat over websockets, with Channels' communicators: each frame type, permission refusals,
the flood limit, reconnect-and-catch-up, the agent console and live order updates."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.core import mail

from config.asgi import application
from support import services
from support.models import Message
from tests.support.conftest import BROWSER, connect_with_session, connect_with_token, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


def _path(conversation) -> str:
    return f"/ws/support/{conversation.pk}/"


async def test_anonymous_is_refused_with_4401(conversation):
    communicator = WebsocketCommunicator(application, _path(conversation), headers=BROWSER)
    assert await communicator.connect() == (False, 4401)


async def test_someone_elses_conversation_is_refused_with_4404(conversation):
    other = await database_sync_to_async(get_user_model().objects.create_user)(
        email="o@example.com", password="x-pass-12"
    )
    _, connected, code = await connect_with_token(other, _path(conversation))
    assert (connected, code) == (False, 4404)


async def test_foreign_origin_is_refused_with_4403(client, user, conversation):
    from tests.support.conftest import session_cookie

    cookie = await session_cookie(client, user)
    communicator = WebsocketCommunicator(
        application, _path(conversation), headers=[(b"origin", b"http://evil.example"), (b"cookie", cookie)]
    )
    assert await communicator.connect() == (False, 4403)


async def test_session_cookie_without_origin_does_not_count(client, user, conversation):
    from tests.support.conftest import session_cookie

    cookie = await session_cookie(client, user)
    communicator = WebsocketCommunicator(application, _path(conversation), headers=[(b"cookie", cookie)])
    assert await communicator.connect() == (False, 4401)


async def test_ticket_from_the_rest_api_opens_the_socket(user, conversation):
    from apibase.services import websocket_ticket_issue

    ticket = await database_sync_to_async(websocket_ticket_issue)(user_id=user.pk, session_key=None)
    communicator = WebsocketCommunicator(application, f"{_path(conversation)}?ticket={ticket}")
    connected, _ = await communicator.connect()
    assert connected
    await communicator.disconnect()
    forged = WebsocketCommunicator(application, f"{_path(conversation)}?ticket=forged")
    assert (await forged.connect())[0] is False


async def test_message_is_stored_before_both_sides_see_it(client, user, agent, conversation):
    shopper, _, _ = await connect_with_session(client, user, _path(conversation))
    history = await shopper.receive_json_from()
    assert history["type"] == "history" and history["messages"][0]["body"] == "Hello, quick question"
    support, _, subprotocol = await connect_with_token(agent, _path(conversation))
    assert subprotocol == "bearer"
    await support.receive_json_from()  # history
    assert (await receive_until(shopper, "agent_joined"))["agent"] == "Alex"

    await shopper.send_json_to({"type": "message", "body": "Is it cotton?"})
    for side in (shopper, support):
        frame = await receive_until(side, "message")
        assert frame["message"]["body"] == "Is it cotton?" and frame["message"]["role"] == "customer"
    stored = await database_sync_to_async(Message.objects.get)(pk=frame["message"]["id"])
    assert stored.body == "Is it cotton?"

    await support.send_json_to({"type": "message", "body": "Yes, 100%."})
    assert (await receive_until(shopper, "message"))["message"]["role"] == "agent"
    await support.disconnect()
    assert (await receive_until(shopper, "agent_left"))["agent"] == "Alex"
    await shopper.disconnect()


async def test_typing_reaches_the_other_side_only(client, user, agent, conversation):
    shopper, _, _ = await connect_with_session(client, user, _path(conversation))
    support, _, _ = await connect_with_token(agent, _path(conversation))
    await shopper.receive_json_from()
    await support.receive_json_from()
    await receive_until(shopper, "agent_joined")
    await shopper.send_json_to({"type": "typing"})
    assert (await receive_until(support, "typing"))["role"] == "customer"
    assert await shopper.receive_nothing(timeout=0.2)
    await shopper.disconnect()
    await support.disconnect()


async def test_read_receipt_marks_messages_and_tells_the_author(client, user, agent, conversation):
    answer = await database_sync_to_async(services.message_post)(
        conversation=conversation, author=agent, role=Message.Role.AGENT, body="Hello from support"
    )
    support, _, _ = await connect_with_token(agent, _path(conversation))
    shopper, _, _ = await connect_with_session(client, user, _path(conversation))
    await support.receive_json_from()
    await shopper.send_json_to({"type": "read", "up_to": answer.pk})
    receipt = await receive_until(support, "read")
    assert receipt == {"type": "read", "role": "customer", "up_to": answer.pk}
    await database_sync_to_async(answer.refresh_from_db)()
    assert answer.read_at is not None
    await shopper.disconnect()
    await support.disconnect()


async def test_closing_tells_everyone_and_stops_messages(client, user, agent, conversation):
    shopper, _, _ = await connect_with_session(client, user, _path(conversation))
    support, _, _ = await connect_with_token(agent, _path(conversation))
    await shopper.receive_json_from()
    await support.receive_json_from()
    await support.send_json_to({"type": "close"})
    for side in (shopper, support):
        assert (await receive_until(side, "closed"))["conversation"]["status"] == "closed"
    await shopper.send_json_to({"type": "message", "body": "wait!"})
    error = await receive_until(shopper, "error")
    assert error["code"] == "conversation_closed"
    await shopper.disconnect()
    await support.disconnect()


async def test_reconnecting_client_gets_what_it_missed(client, user, agent, conversation):
    first = await database_sync_to_async(conversation.messages.get)()
    await database_sync_to_async(services.message_post)(
        conversation=conversation, author=agent, role=Message.Role.AGENT, body="Sent while you were away"
    )
    shopper, _, _ = await connect_with_session(client, user, f"{_path(conversation)}?after={first.pk}")
    history = await shopper.receive_json_from()
    assert [m["body"] for m in history["messages"]] == ["Sent while you were away"]
    await shopper.disconnect()


async def test_bad_frames_get_error_frames(client, user, conversation):
    shopper, _, _ = await connect_with_session(client, user, _path(conversation))
    await shopper.receive_json_from()
    for frame, code in [({"type": "message", "body": "  "}, "message_empty"), ({"type": "message", "body": "x" * 2001},
                        "message_empty"), ({"type": "dance"}, "unknown_type"), ({"type": "read", "up_to": "x"},
                        "invalid_frame")]:  # fmt: skip
        await shopper.send_json_to(frame)
        assert (await receive_until(shopper, "error"))["code"] == code
    await shopper.send_to(text_data="not json")
    assert (await receive_until(shopper, "error"))["code"] == "invalid_frame"
    await shopper.disconnect()


async def test_flooding_is_limited_then_closed(client, user, conversation, settings):
    settings.SUPPORT_WS_RATE_FRAMES = 5
    shopper, _, _ = await connect_with_session(client, user, _path(conversation))
    await shopper.receive_json_from()
    for _ in range(6):
        await shopper.send_json_to({"type": "ping"})
    assert (await receive_until(shopper, "error"))["code"] == "rate_limited"
    for _ in range(12):
        await shopper.send_json_to({"type": "ping"})
    closed = None
    while closed is None:
        output = await shopper.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            closed = output["code"]
    assert closed == 4429


async def test_guest_joins_by_session(client):
    response = await database_sync_to_async(client.post)(
        "/api/v1/support/conversations/",
        {"subject": "Hi", "body": "Guest question", "guest_email": "g@example.com"},
        content_type="application/json",
    )
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    communicator = WebsocketCommunicator(
        application, f"/ws/support/{response.json()['id']}/", headers=[*BROWSER, (b"cookie", cookie)]
    )
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from())["messages"][0]["body"] == "Guest question"
    await communicator.disconnect()


async def test_agent_console_gets_a_snapshot_then_live_updates(client, user, agent, conversation):
    shopper_client_user = user
    console, connected, _ = await connect_with_token(agent, "/ws/support/agents/")
    assert connected
    snapshot = await console.receive_json_from()
    assert [c["id"] for c in snapshot["conversations"]] == [conversation.pk]
    await database_sync_to_async(services.message_post)(
        conversation=conversation, author=shopper_client_user, role=Message.Role.CUSTOMER, body="Anyone there?"
    )
    update = await receive_until(console, "conversation")
    assert update["message"]["body"] == "Anyone there?" and update["conversation"]["status"] == "waiting"
    await console.disconnect()


async def test_agent_console_refuses_shoppers(user):
    _, connected, code = await connect_with_token(user, "/ws/support/agents/")
    assert (connected, code) == (False, 4403)


async def test_inbox_is_emailed_only_when_no_agent_is_online(user, agent, conversation):
    from support.models import Conversation

    # Starting the conversation already told the inbox (nobody was online); that is not repeated within
    # 10 minutes, so start this test's clock afresh.
    await database_sync_to_async(Conversation.objects.update)(inbox_notified_at=None)
    mail.outbox.clear()
    console, _, _ = await connect_with_token(agent, "/ws/support/agents/")
    await console.receive_json_from()
    await database_sync_to_async(services.message_post)(
        conversation=conversation, author=user, role=Message.Role.CUSTOMER, body="Agent is here"
    )
    assert mail.outbox == []
    await console.disconnect()
    await database_sync_to_async(services.message_post)(
        conversation=conversation, author=user, role=Message.Role.CUSTOMER, body="Agent left"
    )
    assert [m.to for m in mail.outbox] == [["support@hypex.test"]]


async def test_reply_is_emailed_only_to_an_offline_shopper(client, user, agent, conversation):
    mail.outbox.clear()
    shopper, _, _ = await connect_with_session(client, user, _path(conversation))
    await shopper.receive_json_from()
    await database_sync_to_async(services.message_post)(
        conversation=conversation, author=agent, role=Message.Role.AGENT, body="You are online"
    )
    assert mail.outbox == []
    await shopper.disconnect()
    await database_sync_to_async(services.message_post)(
        conversation=conversation, author=agent, role=Message.Role.AGENT, body="You went away"
    )
    assert len(mail.outbox) == 1 and "You went away" in mail.outbox[0].body


async def test_order_status_changes_are_pushed_to_the_shopper(user):
    from oscar.test.factories import create_order

    order = await database_sync_to_async(create_order)(user=user, status="Pending payment")
    socket, connected, _ = await connect_with_token(user, "/ws/orders/")
    assert connected
    await database_sync_to_async(order.set_status)("Paid")
    frame = await receive_until(socket, "order_status")
    assert frame["order"] == {"number": str(order.number), "old_status": "Pending payment", "status": "Paid"}
    await socket.disconnect()
    anonymous = WebsocketCommunicator(application, "/ws/orders/", headers=BROWSER)
    assert await anonymous.connect() == (False, 4401)
