"""The first support websocket: authenticated users join a conversation room and hear its messages."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from rest_framework_simplejwt.tokens import AccessToken

from config.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://testserver")


@database_sync_to_async
def _session_cookie_for(client, user) -> bytes:
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def _connect(path: str, headers=None, subprotocols=None) -> tuple[WebsocketCommunicator, bool, object]:
    communicator = WebsocketCommunicator(
        application, path, headers=[ORIGIN, *(headers or [])], subprotocols=subprotocols
    )
    connected, detail = await communicator.connect()
    return communicator, connected, detail


async def test_anonymous_socket_is_refused_with_4401():
    communicator, connected, code = await _connect("/ws/support/1/")
    assert connected is False
    assert code == 4401


async def test_signed_in_shopper_hears_own_message_echoed(client, user):
    cookie = await _session_cookie_for(client, user)
    communicator, connected, _ = await _connect("/ws/support/7/", headers=[(b"cookie", cookie)])
    assert connected
    await communicator.send_json_to({"body": "Is the red shirt cotton?"})
    assert await communicator.receive_json_from() == {
        "type": "message",
        "conversation": 7,
        "author": user.email,
        "body": "Is the red shirt cotton?",
    }
    await communicator.disconnect()


async def test_message_reaches_everyone_in_the_room_and_nobody_outside(client, user, staff_user):
    shopper_cookie = await _session_cookie_for(client, user)
    staff_token = str(await database_sync_to_async(AccessToken.for_user)(staff_user))
    shopper, _, _ = await _connect("/ws/support/3/", headers=[(b"cookie", shopper_cookie)])
    agent, connected, subprotocol_detail = await _connect("/ws/support/3/", subprotocols=["bearer", staff_token])
    assert connected
    outsider, _, _ = await _connect("/ws/support/4/", subprotocols=["bearer", staff_token])

    await agent.send_json_to({"body": "Yes, 100% cotton."})
    for member in (shopper, agent):
        message = await member.receive_json_from()
        assert message["body"] == "Yes, 100% cotton."
        assert message["author"] == staff_user.email
    assert await outsider.receive_nothing(timeout=0.2)
    for communicator in (shopper, agent, outsider):
        await communicator.disconnect()


async def test_jwt_socket_is_accepted_with_bearer_subprotocol(staff_user):
    token = str(await database_sync_to_async(AccessToken.for_user)(staff_user))
    communicator = WebsocketCommunicator(
        application, "/ws/support/1/", headers=[ORIGIN], subprotocols=["bearer", token]
    )
    connected, subprotocol = await communicator.connect()
    assert connected
    assert subprotocol == "bearer"
    await communicator.disconnect()


async def test_forged_jwt_is_refused():
    communicator, connected, code = await _connect("/ws/support/1/", subprotocols=["bearer", "not.a.token"])
    assert connected is False
    assert code == 4401


async def test_foreign_origin_is_refused(client, user):
    cookie = await _session_cookie_for(client, user)
    communicator = WebsocketCommunicator(
        application, "/ws/support/1/", headers=[(b"origin", b"http://evil.example"), (b"cookie", cookie)]
    )
    connected, _ = await communicator.connect()
    assert connected is False


async def test_empty_and_oversized_messages_get_an_error_frame(client, user):
    cookie = await _session_cookie_for(client, user)
    communicator, _, _ = await _connect("/ws/support/1/", headers=[(b"cookie", cookie)])
    await communicator.send_json_to({"body": "   "})
    assert (await communicator.receive_json_from())["code"] == "invalid_message"
    await communicator.send_json_to({"body": "x" * 2001})
    assert (await communicator.receive_json_from())["code"] == "message_too_long"
    await communicator.send_to(text_data="not json")
    assert (await communicator.receive_json_from())["code"] == "invalid_message"
    await communicator.disconnect()
