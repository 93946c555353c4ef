"""The channel layer on Redis: publish/subscribe, and honest about an outage (ADR 0060).

channels-redis ships two layers. The list-based `RedisChannelLayer` gives every server process one
Redis list; each message for any socket of that process is fetched with five commands in turn (a
cleanup script, BZPOPMIN, a backup ZADD, then the cleanup) under one lock, so a process receives one
message at a time, a few event-loop turns per message. With 200 chat clients on two processes that
queue fell behind, the list passed its capacity of 100 and channels-redis dropped what came next
(bench/README.md: 588 of 2,000 chat messages delivered). With redis-py 8 its BZPOPMIN also raced the
client's default 5 s socket timeout against its own 5 s block, so an idle process lost one socket
every 5 seconds (closed 1013).

`RedisPubSubChannelLayer` subscribes each process once per channel and group: Redis pushes a group
message once per process, which hands it to its local sockets in memory. Delivery is at most once,
as before (a socket that is not connected misses it and catches up from the database on reconnect,
ADR 0025).

What this module adds: the stock pub/sub layer logs a failed read of the subscription connection and
retries every second, while its sockets wait in silence and miss what is published meanwhile. Here a
failed read is handed to every socket of the process as the error itself, so each consumer's receive
raises it, `ChannelLayerOutageMixin` closes the socket with 1013, and the client reconnects and fetches
what it missed - as with the list-based layer.
"""

from __future__ import annotations

import asyncio
import logging

from channels_redis.pubsub import RedisPubSubChannelLayer, RedisPubSubLoopLayer, RedisSingleShardConnection
from channels_redis.utils import _wrap_close, decode_hosts

from .realtime import LAYER_OUTAGE_ERRORS

logger = logging.getLogger("ops.realtime")

RETRY_SECONDS = 1.0


class _LayerFailed:
    """Put in a socket's queue instead of a message: its receive raises `error`."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


class _Subscription(RedisSingleShardConnection):
    """One process's subscription connection to one Redis host."""

    async def _do_receiving(self) -> None:
        while True:
            try:
                if self._pubsub and self._pubsub.subscribed:
                    message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
                    self._receive_message(message)
                else:
                    await asyncio.sleep(0.1)
            except (asyncio.CancelledError, GeneratorExit):
                raise
            except LAYER_OUTAGE_ERRORS as error:  # the errors ChannelLayerOutageMixin closes a socket for
                self._fail_local_sockets(error)
                await asyncio.sleep(RETRY_SECONDS)
            except Exception:
                logger.exception("unexpected error while reading the channel layer's subscriptions")
                await asyncio.sleep(RETRY_SECONDS)

    def _fail_local_sockets(self, error: BaseException) -> None:
        channels = self.channel_layer.channels
        logger.warning("channel layer subscriptions lost (%s: %s): closing %d local sockets with 1013",
                       type(error).__name__, error, len(channels))  # fmt: skip
        for queue in channels.values():
            queue.put_nowait(_LayerFailed(error))


class _LoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args, hosts=None, **kwargs) -> None:
        super().__init__(*args, hosts=hosts, **kwargs)
        self._shards = [_Subscription(host, self) for host in decode_hosts(hosts)]


class PubSubChannelLayer(RedisPubSubChannelLayer):
    """`channels_redis.pubsub.RedisPubSubChannelLayer` whose sockets learn that Redis went away."""

    def _get_layer(self) -> RedisPubSubLoopLayer:
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
        return layer

    async def channel_discard(self, channel: str) -> None:
        """Unsubscribe a channel made with `new_channel()` that nobody will receive on again (the readiness
        probe's). A consumer's channel is unsubscribed by the layer itself when the consumer ends."""
        layer = self._get_layer()
        if layer.channels.pop(channel, None) is not None:
            await layer._get_shard(channel).unsubscribe(channel)

    def deserialize(self, message):
        if isinstance(message, _LayerFailed):
            raise message.error
        return super().deserialize(message)
