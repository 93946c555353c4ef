"""Hostile websocket frames get an error frame and the connection stays usable, on every consumer:
binary, NUL, deep nesting, over-long, not an object, wrong types, NaN/Infinity. With Channels'
communicator, and once over a real daphne."""

import asyncio
import json

import pytest
import websockets
from channels.db import database_sync_to_async
from rest_framework_simplejwt.tokens import AccessToken

from tests.asgi_server import AsgiServer
from tests.support.conftest import connect_with_session, connect_with_token, receive_until

pytestmark = pytest.mark.django_db(transaction=True)

DEEP = "[" * 1000 + "]" * 1000
HOSTILE_TEXT = [
    '{"type": "message", "body": "hi\x00there"}',  # a raw NUL
    '{"type": "message", "body": "hi\\u0000there"}',  # an escaped NUL
    '{"\\u0000": 1}',
    DEEP,
    '{"type": "message", "body": ' + DEEP + "}",
    '{"a":' * 5000 + "1" + "}" * 5000,
    '{"type": "message", "body": "' + "x" * 40_000 + '"}',  # over WEBSOCKET_MAX_FRAME_BYTES
    "[1, 2, 3]",
    '"message"',
    "null",
    "not json",
    '{"type": "read", "up_to": NaN}',
    '{"type": "read", "up_to": Infinity}',
    '{"type": "read", "up_to": -Infinity}',
    '{"type": "read", "up_to": 1e999}',
    '{"type": "read", "up_to": ' + "9" * 5000 + "}",
    '{"type": "read", "up_to": 99999999999999999999999999}',
    '{"type": "read", "up_to": true}',
    '{"type": ["message"]}',
    '{"type": "message", "body": {"nested": "object"}}',
    '{"type": "message", "body": 5}',
    '{"type": "__init__"}',  # frame types dispatch to frame_<type> methods only
    '{"type": "' + "x" * 200 + '"}',
    '{"type": "m\u00e9ssage"}',
]


async def _assert_error_then_still_works(socket, frame: str | bytes) -> None:
    if isinstance(frame, bytes):
        await socket.send_to(bytes_data=frame)
    else:
        await socket.send_to(text_data=frame)
    error = await receive_until(socket, "error")
    assert set(error) == {"type", "code", "message"} and error["code"]
    await socket.send_json_to({"type": "ping"})
    await receive_until(socket, "pong")


async def test_conversation_socket_survives_hostile_frames(client, user, conversation, settings):
    settings.SUPPORT_WS_RATE_FRAMES = 1000
    shopper, connected, _ = await connect_with_session(client, user, f"/ws/support/{conversation.pk}/")
    assert connected
    await shopper.receive_json_from(timeout=5)  # history
    for frame in [*HOSTILE_TEXT, b"\x00\x01binary", b'{"type": "ping"}']:
        await _assert_error_then_still_works(shopper, frame)
    await shopper.send_json_to({"type": "message", "body": "Still here"})
    assert (await receive_until(shopper, "message"))["message"]["body"] == "Still here"
    await shopper.disconnect()


@pytest.mark.parametrize("path", ["/ws/support/agents/", "/ws/orders/"])
async def test_console_and_order_sockets_survive_hostile_frames(agent, settings, path):
    settings.SUPPORT_WS_RATE_FRAMES = 1000
    socket, connected, _ = await connect_with_token(agent, path)
    assert connected
    if path == "/ws/support/agents/":
        await socket.receive_json_from(timeout=5)  # snapshot
    for frame in [DEEP, '{"q": "a\\u0000"}', "NaN", b"\xff\xfe"]:
        await _assert_error_then_still_works(socket, frame)
    await socket.disconnect()


async def test_search_socket_survives_hostile_frames(settings):
    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    settings.SEARCH_WS_RATE_FRAMES = 1000
    socket = WebsocketCommunicator(application, "/ws/search/", headers=[(b"host", b"testserver")])
    assert (await socket.connect())[0]
    for frame in [DEEP, '{"q": "oxf\\u0000"}', '{"q": NaN}', '{"q": ["a"]}', "[]", b"\x00", "x" * 40_000]:
        await socket.send_to(bytes_data=frame) if isinstance(frame, bytes) else await socket.send_to(text_data=frame)
        assert (await socket.receive_json_from(timeout=5))["type"] == "error"
        await socket.send_json_to({"q": "shirt"})
        assert (await socket.receive_json_from(timeout=5))["type"] == "suggestions"
    await socket.disconnect()


async def test_flooding_with_bad_frames_still_closes_with_4429(client, user, conversation, settings):
    settings.SUPPORT_WS_RATE_FRAMES = 3
    shopper, _, _ = await connect_with_session(client, user, f"/ws/support/{conversation.pk}/")
    await shopper.receive_json_from(timeout=5)
    for _ in range(12):
        await shopper.send_to(bytes_data=b"\x00")
    closed = None
    while closed is None:
        output = await shopper.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            closed = output["code"]
    assert closed == 4429


@pytest.fixture
def daphne():
    server = AsgiServer().start()
    yield server
    server.stop()


async def _next(socket, frame_type: str) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
        if frame["type"] == frame_type:
            return frame


async def test_hostile_frames_over_a_real_daphne(daphne, user, conversation):
    token = str(await database_sync_to_async(AccessToken.for_user)(user))
    url = f"ws://127.0.0.1:{daphne.port}/ws/support/{conversation.pk}/"
    async with websockets.connect(url, subprotocols=["bearer", token], max_size=2**22) as socket:
        await _next(socket, "history")
        for frame in [DEEP, '{"type": "message", "body": "a\\u0000b"}', b"\x00\x01", "NaN", "x" * 100_000, "[]"]:
            await socket.send(frame)
            assert (await _next(socket, "error"))["code"] in {"invalid_frame", "frame_too_large"}
            await socket.send(json.dumps({"type": "ping"}))
            await _next(socket, "pong")
        await socket.send(json.dumps({"type": "message", "body": "After all that"}))
        assert (await _next(socket, "message"))["message"]["body"] == "After all that"
