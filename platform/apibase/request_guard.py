"""Refuse hostile request lines before any view sees them (docs/adr/0029-api-contract-checked-in-ci.md).

- A query string longer than `REQUEST_MAX_QUERY_STRING_BYTES` answers 414 (`query_string_too_long`).
- A NUL character in the path or in the query string (raw or percent-encoded as `%00`) answers 400
  (`nul_character`): no database stores it in text and no shopper types it.

Paths under `/api/` get the one API error format (`apibase.errors`); pages get Django's 400 page or a
small 414 page. The check costs one scan of the path and query string.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import bad_request

from .errors import error_body

API_PREFIX = "/api/"


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in query or b"\x00" in unquote_to_bytes(query)


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class _RefusedRequest(Exception):
    """Handed to Django's bad_request view, which shows the 400 page."""


class RequestGuardMiddleware:
    """Put first in MIDDLEWARE, before anything reads the query string or the path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if len(query.encode("utf-8", "surrogateescape")) > settings.REQUEST_MAX_QUERY_STRING_BYTES:
            return self._refuse(
                request,
                status=414,
                code="query_string_too_long",
                message=f"The query string is longer than {settings.REQUEST_MAX_QUERY_STRING_BYTES} bytes.",
            )
        if _has_nul(request):
            return self._refuse(
                request, status=400, code="nul_character", message="The URL contains a NUL character (%00)."
            )
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, *, status: int, code: str, message: str) -> HttpResponse:
        if is_api_request(request):
            return JsonResponse(error_body(code=code, message=message), status=status)
        if status == 400:
            return bad_request(request, _RefusedRequest(message))
        return HttpResponse(
            f"<!doctype html><title>URL too long</title><h1>URL too long ({status})</h1><p>{message}</p>",
            status=status,
            content_type="text/html; charset=utf-8",
        )
