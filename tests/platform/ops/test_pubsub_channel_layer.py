"""The production channel layer (ops.channel_layer, ADR 0060) on a private Redis: a group message reaches
every local socket of another process, and when Redis goes away under an open chat socket, the socket
is told (error frame `realtime_unavailable`, close 1013) instead of waiting in silence, and a socket
opened after Redis is back works again."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.utils.module_loading import import_string

from config.settings.integrations.channels import channel_layers
from support import services
from tests.support.conftest import connect_with_token, receive_until

pytestmark = pytest.mark.redis


def _layer(url: str):
    wiring = channel_layers(url)["default"]
    return import_string(wiring["BACKEND"])(**wiring["CONFIG"])


def test_a_group_message_reaches_every_local_socket_of_another_process(redis_server):
    async def scenario() -> list[dict]:
        here, there = _layer(redis_server.url), _layer(redis_server.url)  # two server processes
        first, second = await there.new_channel(), await there.new_channel()
        await there.group_add("support.agents", first)
        await there.group_add("support.agents", second)
        await here.group_send("support.agents", {"type": "agents.update", "n": 1})
        received = [await asyncio.wait_for(there.receive(name), timeout=5) for name in (first, second)]
        await here.flush()
        await there.flush()
        return received

    assert asyncio.run(scenario()) == [{"type": "agents.update", "n": 1}] * 2


@pytest.fixture
def layer_on_private_redis(redis_server, settings):
    settings.CHANNEL_LAYERS = channel_layers(redis_server.url)
    return redis_server


@pytest.mark.django_db(transaction=True)
async def test_an_open_chat_socket_is_closed_with_1013_when_redis_goes_away(layer_on_private_redis, user, conversation):
    communicator, connected, _ = await connect_with_token(user, f"/ws/support/{conversation.pk}/")
    assert connected
    await receive_until(communicator, "history")

    await asyncio.to_thread(layer_on_private_redis.stop)

    frame = await communicator.receive_json_from(timeout=5)
    assert frame["type"] == "error" and frame["code"] == "realtime_unavailable"
    assert (await communicator.receive_output(timeout=5)) == {"type": "websocket.close", "code": 1013}


@pytest.mark.django_db(transaction=True)
async def test_a_socket_opened_after_redis_is_back_gets_messages(layer_on_private_redis, user, conversation):
    await asyncio.to_thread(layer_on_private_redis.stop)
    await asyncio.to_thread(layer_on_private_redis.start)

    communicator, connected, _ = await connect_with_token(user, f"/ws/support/{conversation.pk}/")
    assert connected
    await receive_until(communicator, "history")
    await communicator.send_json_to({"type": "message", "body": "Back again"})

    frame = await receive_until(communicator, "message", timeout=5)
    assert frame["message"]["body"] == "Back again"
    await communicator.disconnect()


@pytest.fixture
def conversation(user):
    return services.conversation_start(customer=user, subject="Cotton?", body="Hello")


def test_the_readiness_probe_leaves_no_subscription_behind(redis_server, settings):
    import redis

    from ops.probes import probe_channel_layer

    settings.CHANNEL_LAYERS = channel_layers(redis_server.url)

    async def probe_twice_in_one_process() -> list[bytes]:
        # A server process probes on its own event loop, whose layer lives as long as the process.
        for _ in range(2):
            result = await sync_to_async(probe_channel_layer, thread_sensitive=False)()
            assert result.up, result
        return redis.Redis.from_url(redis_server.url).pubsub_channels()

    assert asyncio.run(probe_twice_in_one_process()) == []
