"""Websocket connections and frames, by route pattern: an ASGI middleware around the websocket router.

It watches the ASGI messages, so it needs nothing from the consumers: `websocket.accept` opens a
connection (the gauge goes up until the socket ends, however it ends), `websocket.close` before an
accept is a refused handshake, `websocket.receive` / `websocket.send` are frames.
"""

from __future__ import annotations

import re

from .families import WEBSOCKET_CONNECTIONS, WEBSOCKET_CONNECTS, WEBSOCKET_FRAMES

UNMATCHED = "<unmatched>"


def _route_pattern(pattern) -> tuple[re.Pattern, str]:
    route = str(pattern.pattern)
    regex = pattern.pattern.regex if hasattr(pattern.pattern, "regex") else re.compile(route)
    return regex, "/" + route.lstrip("^").rstrip("$")


class WebsocketMetricsMiddleware:
    def __init__(self, app, *, urlpatterns):
        self.app = app
        self.routes = [_route_pattern(pattern) for pattern in urlpatterns]

    def route_of(self, path: str) -> str:
        path = path.lstrip("/")
        for regex, label in self.routes:
            if regex.match(path):
                return label
        return UNMATCHED

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        route = self.route_of(scope.get("path", ""))
        accepted = False
        refused = False
        gauge = WEBSOCKET_CONNECTIONS.labels(route=route)

        async def counting_receive():
            message = await receive()
            if message["type"] == "websocket.receive":
                WEBSOCKET_FRAMES.labels(route=route, direction="received").inc()
            return message

        async def counting_send(message):
            nonlocal accepted, refused
            kind = message["type"]
            if kind == "websocket.accept" and not accepted:
                accepted = True
                gauge.inc()
                WEBSOCKET_CONNECTS.labels(route=route, outcome="accepted").inc()
            elif kind == "websocket.send":
                WEBSOCKET_FRAMES.labels(route=route, direction="sent").inc()
            elif kind == "websocket.close" and not accepted and not refused:
                refused = True
                WEBSOCKET_CONNECTS.labels(route=route, outcome="refused").inc()
            await send(message)

        try:
            return await self.app(scope, counting_receive, counting_send)
        finally:
            if accepted:
                gauge.dec()
