"""Broadcasting from synchronous code is best effort and works wherever the sync code is called from,
including straight from a thread that runs an event loop (where async_to_sync refuses to run)."""

import asyncio

from channels.layers import get_channel_layer

from ops.realtime import group_send_best_effort


def test_a_broadcast_from_sync_code_inside_a_running_event_loop_arrives(settings):
    # A layer of this test's own (in memory): receiving on the suite's shared Redis layer inside this
    # test's event loop would bind its locks to a loop that ends with the test, and later tests fail.
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()

    async def main() -> dict:
        channel = await layer.new_channel()
        await layer.group_add("ops-test-group", channel)
        assert group_send_best_effort("ops-test-group", {"type": "ping.test", "n": 1})  # sync call, loop running
        return await asyncio.wait_for(layer.receive(channel), timeout=5)

    assert asyncio.run(main()) == {"type": "ping.test", "n": 1}
