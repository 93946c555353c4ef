"""The request id: one token per HTTP request or websocket connection, in every log line the request
causes and echoed to the client as `X-Request-ID` (docs/adr/0035).

- Behind trusted proxies (`TRUSTED_PROXY_COUNT > 0`, docs/adr/0027) the proxy's `X-Request-ID` is kept
  when it is a sane token (1-128 letters, digits, `.`, `_`, `-`), so nginx's access log and ours name the
  request alike. With no trusted proxy, or a value that is not such a token, a new id is made (uuid4
  hex): a client talking to the server directly cannot choose what its request is called in our logs,
  nor put text of its own into them.
- The id lives in a context variable while the middleware runs: the async and the sync parts of the
  request (asgiref's `sync_to_async` runs sync code in a copy of the caller's context) and tasks run
  in-process after commit see it. It is reset when the middleware returns, so nothing after the request
  inherits it; the lines Django writes after that (`django.request`'s error line) carry the request, and
  `ops.log_context` reads the id from `request.request_id` there.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.utils.decorators import sync_and_async_middleware

REQUEST_ID_HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
_SCOPE_HEADER = b"x-request-id"
_SANE_TOKEN = re.compile(r"[A-Za-z0-9._-]{1,128}")

_request_id: ContextVar[str | None] = ContextVar("hypex_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request or websocket connection being served in this context, else None."""
    return _request_id.get()


def request_id_choose(offered: str | None) -> str:
    """The proxy's id when a trusted proxy sent a sane one, else a new uuid4 hex."""
    if offered and settings.TRUSTED_PROXY_COUNT > 0 and _SANE_TOKEN.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def _begin(request):
    request.request_id = request_id_choose(request.META.get(_META_KEY))
    return _request_id.set(request.request_id)


@sync_and_async_middleware
def request_id_middleware(get_response):
    """Name the request (see the module docstring) and answer with `X-Request-ID`. First in MIDDLEWARE,
    so every answer carries it: refusals of the request guard, WhiteNoise's files, 404s, the 500 page."""
    if iscoroutinefunction(get_response):

        async def middleware(request):
            token = _begin(request)
            try:
                response = await get_response(request)
            finally:
                _request_id.reset(token)
            response[REQUEST_ID_HEADER] = request.request_id
            return response

    else:

        def middleware(request):
            token = _begin(request)
            try:
                response = get_response(request)
            finally:
                _request_id.reset(token)
            response[REQUEST_ID_HEADER] = request.request_id
            return response

    return middleware


class WebsocketRequestIdMiddleware:
    """ASGI middleware for websocket connections: the same rule for the handshake's `X-Request-ID`,
    held for the connection's whole life (every frame's log lines carry it). Outermost, so the
    handshake's own refusals are logged with it too."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        # Several header lines are one comma-separated value, as Django's META has it: never a sane token.
        offered = ",".join(
            value.decode("latin1") for name, value in scope.get("headers", []) if name.lower() == _SCOPE_HEADER
        )
        token = _request_id.set(request_id_choose(offered))
        try:
            return await self.app(scope, receive, send)
        finally:
            _request_id.reset(token)
