"""The channel layer's Redis pool takes a burst of connecting websockets: 300 clients joining their
groups at once on one server process (redis-py's default cap of 100 connections failed the 101st with
MaxConnectionsError, which the handshake answered with HTTP 500)."""

import asyncio

import pytest
from django.utils.module_loading import import_string

from config.settings.integrations.channels import channel_layers

pytestmark = pytest.mark.redis


def test_the_in_memory_layer_without_redis():
    assert channel_layers("")["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"


def test_a_burst_of_300_group_joins_on_one_process(redis_server):
    wiring = channel_layers(redis_server.url)["default"]
    layer = import_string(wiring["BACKEND"])(**{**wiring["CONFIG"], "prefix": "pool-burst"})

    async def burst() -> None:
        names = [await layer.new_channel() for _ in range(300)]
        await asyncio.gather(*(layer.group_add(f"g{i % 7}", name) for i, name in enumerate(names)))
        await layer.flush()

    asyncio.run(burst())
