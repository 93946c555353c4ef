"""HTTP: `/metrics` itself, and the request families (rate, latency, errors, database work per request).

Both middlewares work in Django's sync and async stacks without switching modes (ASGI under daphne).
`metrics_endpoint_middleware` comes early: it answers `/metrics` before host validation and the HTTPS
redirect, because Prometheus addresses a pod by its IP, not by the shop's host name.
"""

from __future__ import annotations

import sys
import time

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from django.utils.decorators import sync_and_async_middleware

from .access import metrics_access_allowed
from .database import QueryStats, query_stats_collect
from .exposition import metrics_render
from .families import (
    DB_QUERIES_PER_REQUEST,
    DB_TIME_PER_REQUEST,
    HTTP_EXCEPTIONS,
    HTTP_REQUEST_DURATION,
    HTTP_REQUESTS,
)

METRICS_PATH = "/metrics"
UNMATCHED = "<unmatched>"


def _headers(request) -> dict[str, str]:
    return {name.lower(): value for name, value in request.headers.items()}


def metrics_response(request) -> HttpResponse:
    """The exposition, or a plain 404 to anyone not allowed (nothing says a metrics endpoint exists)."""
    allowed = metrics_access_allowed(
        peer=request.META.get("REMOTE_ADDR"),
        headers=_headers(request),
        token=settings.METRICS_TOKEN,
        networks=settings.METRICS_ALLOWED_NETWORKS_PARSED,
    )
    if not allowed or request.method not in ("GET", "HEAD"):
        return HttpResponseNotFound(b"Not Found", content_type="text/plain")
    body, content_type = metrics_render()
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


@sync_and_async_middleware
def metrics_endpoint_middleware(get_response):
    """Answers `/metrics`; everything else goes on down the chain."""
    if iscoroutinefunction(get_response):

        async def middleware(request):
            if request.path == METRICS_PATH:
                # The scrape-time collectors query the database: off the event loop.
                return await sync_to_async(metrics_response, thread_sensitive=False)(request)
            return await get_response(request)

    else:

        def middleware(request):
            if request.path == METRICS_PATH:
                return metrics_response(request)
            return get_response(request)

    return middleware


def route_name(request) -> str:
    """The URL pattern's name (`api:product-detail`), else its route, else `<unmatched>` (404s, and
    requests refused before URL resolution): never the raw path, so the label set stays bounded."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED
    return match.view_name or match.route or UNMATCHED


def _record(request, response, started: float, stats: QueryStats) -> None:
    route = route_name(request)
    method = request.method if request.method in _METHODS else "OTHER"
    HTTP_REQUESTS.labels(route=route, method=method, status=str(response.status_code)).inc()
    HTTP_REQUEST_DURATION.labels(route=route, method=method).observe(time.perf_counter() - started)
    DB_QUERIES_PER_REQUEST.labels(route=route).observe(stats.count)
    DB_TIME_PER_REQUEST.labels(route=route).observe(stats.seconds)


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@sync_and_async_middleware
def request_metrics_middleware(get_response):
    """Counts and times every request by route name, with the queries it ran (see `database`)."""
    if iscoroutinefunction(get_response):

        async def middleware(request):
            started = time.perf_counter()
            with query_stats_collect() as stats:
                response = await get_response(request)
            _record(request, response, started, stats)
            return response

    else:

        def middleware(request):
            started = time.perf_counter()
            with query_stats_collect() as stats:
                response = get_response(request)
            _record(request, response, started, stats)
            return response

    return middleware


def request_exception_record(*, sender=None, request=None, **kwargs) -> None:
    """`got_request_exception` receiver: a view raised (the response will be 500, or 503 for a busy
    database pool). Counted by route and exception type."""
    exc_type = sys.exc_info()[0]
    route = route_name(request) if request is not None else UNMATCHED
    HTTP_EXCEPTIONS.labels(route=route, exception=exc_type.__name__ if exc_type else "unknown").inc()
