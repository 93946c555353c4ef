"""The 500 handler (`handler500`): a busy database answers 503 (docs/adr/0028), a bug answers 500 in the
error format under `/api/` (docs/adr/0029).

When every pooled connection is in use for `DATABASE_POOL_TIMEOUT` seconds (psycopg's `PoolTimeout` /
`TooManyRequests`), or PostgreSQL itself refuses a connection for lack of slots (SQLSTATE 53300), the
request answers 503 with `Retry-After`: under `/api/` in the API error format
(`{"error": {"code": "service_unavailable", ...}}`), elsewhere as a short page. Anything else is a real
bug (logged by Django): `{"error": {"code": "server_error", ...}}` under `/api/`, the site's 500 page
elsewhere.
"""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import server_error as django_server_error
from psycopg_pool import PoolTimeout, TooManyRequests

from .errors import error_body
from .request_guard import is_api_request

BUSY_MESSAGE = "The shop is very busy right now. Please try again in a moment."
RETRY_AFTER_SECONDS = 5
TOO_MANY_CONNECTIONS = "53300"


def database_is_busy(exc: BaseException | None) -> bool:
    """True when `exc` (or what caused it) says the database had no free connection."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, PoolTimeout | TooManyRequests) or getattr(exc, "sqlstate", None) == TOO_MANY_CONNECTIONS:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    api = is_api_request(request)
    if not database_is_busy(sys.exc_info()[1]):
        if api:
            body = error_body(code="server_error", message="Something went wrong on our side. It has been logged.")
            return JsonResponse(body, status=500)
        return django_server_error(request)
    if api:
        response: HttpResponse = JsonResponse(error_body(code="service_unavailable", message=BUSY_MESSAGE), status=503)
    else:
        response = HttpResponse(BUSY_MESSAGE, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
