"""Several ASGI worker processes share one Redis channel layer: a message sent to one server reaches a
client connected to another. Two real daphne processes, real Redis, real websockets."""

import asyncio
import json

import pytest
import websockets
from channels.db import database_sync_to_async
from rest_framework_simplejwt.tokens import AccessToken

from support import services
from tests.asgi_server import AsgiServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


@pytest.fixture
def two_servers(redis_server):
    servers = [AsgiServer(redis_url=redis_server.url).launch(), AsgiServer(redis_url=redis_server.url).launch()]
    try:  # both boot at once (about 2.5 s each); one that never answers must not leave the other running
        for server in servers:
            server.wait_ready()
    except BaseException:
        for server in servers:
            server.stop()
        raise
    yield servers
    for server in servers:
        server.stop()


async def _frame(socket, frame_type: str) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
        if frame["type"] == frame_type:
            return frame


async def test_message_sent_to_one_server_reaches_a_client_on_the_other(two_servers, user, agent):
    conversation = await database_sync_to_async(services.conversation_start)(
        customer=user, subject="Across servers", body="First"
    )
    shopper_token = str(await database_sync_to_async(AccessToken.for_user)(user))
    agent_token = str(await database_sync_to_async(AccessToken.for_user)(agent))
    server_a, server_b = two_servers
    path = f"/ws/support/{conversation.pk}/"

    url_a, url_b = f"ws://127.0.0.1:{server_a.port}{path}", f"ws://127.0.0.1:{server_b.port}{path}"
    async with (
        websockets.connect(url_a, subprotocols=["bearer", shopper_token]) as a,
        websockets.connect(url_b, subprotocols=["bearer", agent_token]) as b,
    ):
        assert a.subprotocol == "bearer"
        await _frame(a, "history")
        await _frame(b, "history")
        await a.send(json.dumps({"type": "message", "body": "Sent to server A"}))
        received = await _frame(b, "message")
        assert received["message"]["body"] == "Sent to server A"

        await b.send(json.dumps({"type": "message", "body": "Answered from server B"}))
        assert (await _frame(a, "message"))["message"]["body"] == "Sent to server A"  # its own, stored
        assert (await _frame(a, "message"))["message"]["body"] == "Answered from server B"
