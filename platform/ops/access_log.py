"""One access line per request, written by Hypex itself (logger `ops.access`, docs/adr/0035).

The line is `GET /path 200 12ms` with the fields `method`, `path`, `status` and `duration_ms` (and the
request id and trace id every line has). Level by status: INFO below 400, WARNING for 4xx, ERROR for
5xx. The path is logged without its query string (search terms, signed keys), and the URL parts that
are credentials are logged by name: `/auth/confirm-email/<key>/`, `/payments/dummy/<token>/`,
`/accounts/order-status/100042/<hash>/`. `ops.log_redaction` is the net for paths no route matched.

This line replaces the ones the servers write: daphne's access log is off in production (`daphne -v 0`;
its NCSA lines are not JSON and carry no request id), and `manage.py runserver`'s
`django.channels.server` lines are silenced in the logging settings, as are Django's own
`django.request` lines for 4xx answers (`DropClientErrorLines`); 5xx lines with their traceback
stay. Requests that never reach Django (a request line Twisted refuses, files runserver serves from
`/static/` itself) have no line here; nginx's access log has them.

Websocket connections get one line when they end (`WebsocketAccessLogMiddleware`):
`websocket /ws/support/7/ accepted 52013ms` or `... refused 3ms`.
"""

from __future__ import annotations

import logging
import time

from asgiref.sync import iscoroutinefunction
from django.utils.decorators import sync_and_async_middleware

logger = logging.getLogger("ops.access")

PATH_MAX_CHARS = 300
# URL arguments that are credentials: allauth's verification and reset keys, Oscar's signed order hash,
# the payment pages' tokens.
SECRET_URL_ARGUMENTS = frozenset({"key", "token", "hash"})


def _path_for_log(request) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name, value in match.kwargs.items() if match is not None else ():
        if name in SECRET_URL_ARGUMENTS and isinstance(value, str) and value:
            path = path.replace(value, f"<{name}>")
    return _printable(path)


def _printable(path: str) -> str:
    """The path as one short line: control characters (a `%0A` decoded by Django) shown as `?`."""
    if len(path) > PATH_MAX_CHARS:
        path = path[:PATH_MAX_CHARS] + "..."
    return "".join(char if char.isprintable() else "?" for char in path)


def _level(status: int) -> int:
    if status >= 500:
        return logging.ERROR
    if status >= 400:
        return logging.WARNING
    return logging.INFO


def _log_request(request, status: int, started: float) -> None:
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    path = _path_for_log(request)
    logger.log(
        _level(status),
        "%s %s %s %.0fms",
        request.method,
        path,
        status,
        duration_ms,
        extra={"method": request.method, "path": path, "status": status, "duration_ms": duration_ms},
    )


@sync_and_async_middleware
def access_log_middleware(get_response):
    """Right after `ops.request_id`'s middleware, so the line has the request id and the time includes
    every other middleware."""
    if iscoroutinefunction(get_response):

        async def middleware(request):
            started = time.perf_counter()
            response = await get_response(request)
            _log_request(request, response.status_code, started)
            return response

    else:

        def middleware(request):
            started = time.perf_counter()
            response = get_response(request)
            _log_request(request, response.status_code, started)
            return response

    return middleware


class DropClientErrorLines(logging.Filter):
    """For the `django.request` logger: its 4xx lines ("Not Found: /x") repeat the access line; its 5xx
    lines carry the traceback and stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", 500) >= 500


class WebsocketAccessLogMiddleware:
    """ASGI middleware: one line when a websocket connection ends, inside `WebsocketRequestIdMiddleware`."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        started = time.perf_counter()
        accepted = False

        async def send_noting_accept(message):
            nonlocal accepted
            if message.get("type") == "websocket.accept":
                accepted = True
            await send(message)

        try:
            return await self.app(scope, receive, send_noting_accept)
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            path = _printable(scope.get("path", ""))
            outcome = "accepted" if accepted else "refused"
            logger.info(
                "websocket %s %s %.0fms",
                path,
                outcome,
                duration_ms,
                extra={"method": "WEBSOCKET", "path": path, "outcome": outcome, "duration_ms": duration_ms},
            )
