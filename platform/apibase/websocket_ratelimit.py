"""Websocket rate limits: frames per connection (`FrameRateLimit`, used by every JSON consumer) and
connections per client IP (an ASGI middleware in front of every websocket route).

Each consumer limits the frames of one connection (`FrameRateLimit`); a client could
side-step that by opening connection after connection. This middleware counts websocket handshakes per
client IP (`apibase.client_ip`, so a forged `X-Forwarded-For` is one client, docs/adr/0027) in a
one-minute window of the shared cache, and refuses the handshake past `WS_CONNECT_PER_IP_PER_MINUTE`
(close code 4429 before accept: the client sees the upgrade refused, HTTP 403).

A cache that cannot be reached lets the connection through (logged): a limit must not become an outage.
"""

from __future__ import annotations

import logging
import time
from collections import deque

from django.conf import settings
from django.core.cache import cache

from .client_ip import client_ip

logger = logging.getLogger(__name__)

CLOSE_RATE_LIMITED = 4429
WINDOW_SECONDS = 60


class FrameRateLimit:
    """A sliding-window frame counter for one websocket connection. `check()` answers "ok", "drop"
    (over the limit: refuse this frame) or "close" (flooding: past three times the limit)."""

    def __init__(self, *, frames: int, window_seconds: float) -> None:
        self.frames = frames
        self.window = window_seconds
        self.seen: deque[float] = deque()

    def check(self) -> str:
        now = time.monotonic()
        while self.seen and now - self.seen[0] > self.window:
            self.seen.popleft()
        self.seen.append(now)
        if len(self.seen) > self.frames * 3:
            return "close"
        if len(self.seen) > self.frames:
            return "drop"
        return "ok"


async def websocket_connect_count(*, ip: str) -> int:
    """Count one more handshake from `ip` in the current window; returns the window's count so far."""
    bucket = int(time.time() // WINDOW_SECONDS)
    key = f"ws-connect:{ip}:{bucket}"
    if await cache.aadd(key, 1, timeout=WINDOW_SECONDS * 2):
        return 1
    try:
        return await cache.aincr(key)
    except ValueError:  # expired between add and incr: a fresh window
        await cache.aset(key, 1, timeout=WINDOW_SECONDS * 2)
        return 1


class WebsocketConnectRateLimitMiddleware:
    def __init__(self, inner) -> None:
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not await self._allowed(scope):
            message = await receive()  # the handshake: websocket.connect
            if message.get("type") == "websocket.connect":
                await send({"type": "websocket.close", "code": CLOSE_RATE_LIMITED})
            return None
        return await self.inner(scope, receive, send)

    async def _allowed(self, scope) -> bool:
        limit = settings.WS_CONNECT_PER_IP_PER_MINUTE
        ip = client_ip(scope)
        if not ip or limit <= 0:
            return True
        try:
            count = await websocket_connect_count(ip=ip)
        except Exception:  # noqa: BLE001 - any cache failure: let the client in, say so in the log
            logger.warning("websocket connect limit: cache unavailable, connection from %s let through", ip)
            return True
        if count > limit:
            logger.info("websocket connect limit: %s refused (%s handshakes this minute)", ip, count)
            return False
        return True
