"""The channel layer (Redis in production) as a best-effort dependency (ADR 0025).

Live updates are a convenience on top of stored data: a chat message or an order status is committed
first and broadcast after. So when the layer is away:
- `group_send_best_effort` logs (rate-limited), skips the layer for a few seconds (a circuit breaker,
  so a burst of writes does not each wait on a timeout) and returns False; it never raises, so a
  committed write never answers 500. Clients catch up from the database when they reconnect or fetch.
- `ChannelLayerOutageMixin`, on a websocket consumer, turns a layer failure while the socket connects
  or runs into an error frame `{"type": "error", "code": "realtime_unavailable", ...}` (when the socket
  was accepted) and a close with 1013 "try again later", instead of a crash (1011) with a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from .circuit import REDIS_OUTAGE_ERRORS, CircuitBreaker

logger = logging.getLogger("ops.realtime")

# The layer is away (Redis' own errors, or a socket refused or reset below them) or too slow (our send
# timeout; asyncio's TimeoutError is the builtin one). Any other error is a bug and is raised as one.
LAYER_OUTAGE_ERRORS = (*REDIS_OUTAGE_ERRORS, ConnectionError, TimeoutError)
CLOSE_TRY_AGAIN_LATER = 1013

_breaker: CircuitBreaker | None = None


def _layer_breaker() -> CircuitBreaker:
    global _breaker
    if _breaker is None:
        _breaker = CircuitBreaker(
            name="Channel layer",
            logger=logger,
            open_seconds=settings.CHANNEL_LAYER_CIRCUIT_OPEN_SECONDS,
            log_interval_seconds=settings.CHANNEL_LAYER_OUTAGE_LOG_INTERVAL_SECONDS,
        )
    return _breaker


@receiver(setting_changed)
def _forget_breaker(*, setting: str, **kwargs) -> None:
    """Another channel layer (tests override it) starts with a closed circuit."""
    global _breaker
    if setting in {"CHANNEL_LAYERS", "CHANNEL_LAYER_CIRCUIT_OPEN_SECONDS"}:
        _breaker = None


async def _send(layer, group: str, event: dict) -> None:
    await asyncio.wait_for(layer.group_send(group, event), timeout=settings.CHANNEL_LAYER_SEND_TIMEOUT_SECONDS)


def group_send_best_effort(group: str, event: dict) -> bool:
    """Send `event` to `group` from synchronous code (after commit). True when the layer took it;
    False when there is no layer or it is away (logged). Never raises for an outage."""
    return group_send_many_best_effort([(group, event)])


async def _send_all(layer, sends: list[tuple[str, dict]]) -> None:
    await asyncio.gather(*(_send(layer, group, event) for group, event in sends))


def group_send_many_best_effort(sends: list[tuple[str, dict]]) -> bool:
    """Send each `(group, event)` at once (one wait for all, not one after the other), as
    `group_send_best_effort` does: True when the layer took them all, False when there is no layer or
    it is away (logged). Never raises for an outage."""
    layer = get_channel_layer()
    breaker = _layer_breaker()
    if layer is None or not breaker.allow():
        return False
    try:
        if _loop_running_here():
            # Sync code called straight from a thread that runs an event loop (a test driving a browser,
            # a script in a notebook): async_to_sync refuses to run there, so send from a helper thread.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="group-send") as pool:
                pool.submit(async_to_sync(_send_all), layer, sends).result()
        else:
            async_to_sync(_send_all)(layer, sends)
    except LAYER_OUTAGE_ERRORS as exc:
        breaker.failure(exc)
        return False
    breaker.success()
    return True


def _loop_running_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class ChannelLayerOutageMixin:
    """Put first in a websocket consumer's bases. See the module docstring for what clients see."""

    _socket_accepted = False

    async def accept(self, *args, **kwargs):
        await super().accept(*args, **kwargs)
        self._socket_accepted = True

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        except LAYER_OUTAGE_ERRORS as exc:
            logger.warning("websocket %s closed: the channel layer is unavailable (%s: %s)",
                           scope.get("path"), type(exc).__name__, exc)  # fmt: skip
            await self._close_for_outage(send)

    async def _close_for_outage(self, send) -> None:
        frame = {"type": "error", "code": "realtime_unavailable",
                 "message": "Live updates are unavailable right now; reconnect in a few seconds."}  # fmt: skip
        try:
            if self._socket_accepted:
                await send({"type": "websocket.send", "text": json.dumps(frame)})
            await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER})
        except Exception:  # noqa: BLE001 - the client may be gone already; nothing left to tell it
            logger.debug("could not close the websocket cleanly", exc_info=True)
