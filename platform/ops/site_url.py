"""The address the shop is served from, for links that leave the request: emails, sitemaps, API URLs.

A link in an email is written while the request that causes it is running, and the mail is sent
later, from the outbox, by a worker that has no request. So the base URL is captured when the side
effect is created (`site_base_url(request=request)`, stored in the outbox payload) and used when the
mail is rendered; where there is no request (a management command, a periodic task), the configured
`SITE_URL` is the fallback. See ADR 0031.

The request's host is Django's `request.get_host()`, which is checked against `ALLOWED_HOSTS` (and
honours `USE_X_FORWARDED_HOST` / `SECURE_PROXY_SSL_HEADER`, ADR 0027): a forged Host header never ends
up in a link; such a request falls back to `SITE_URL`.
"""

from __future__ import annotations

from contextvars import ContextVar

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils.decorators import sync_and_async_middleware


def site_base_url(*, request=None) -> str:
    """`scheme://host[:port]` (no trailing slash) the shop is served from for `request`, else
    `settings.SITE_URL`. Append a path that starts with "/"."""
    if request is not None:
        try:
            return request.build_absolute_uri("/").rstrip("/")
        except DisallowedHost:
            pass
    return settings.SITE_URL.rstrip("/")


# The base URL of the request being served, for side effects written deep inside services that have no
# request at hand (an order's emails are scheduled by the order's status changes): set by
# `served_base_url_middleware` for the request's duration, read by `served_base_url()`.
_served_base_url: ContextVar[str] = ContextVar("hypex_served_base_url", default="")


def served_base_url() -> str:
    """The base URL of the request being served in this context, else `settings.SITE_URL`."""
    return _served_base_url.get() or settings.SITE_URL.rstrip("/")


@sync_and_async_middleware
def served_base_url_middleware(get_response):
    """Remember the request's base URL (validated host, see `site_base_url`) while it is served."""
    if iscoroutinefunction(get_response):

        async def middleware(request):
            token = _served_base_url.set(site_base_url(request=request))
            try:
                return await get_response(request)
            finally:
                _served_base_url.reset(token)

    else:

        def middleware(request):
            token = _served_base_url.set(site_base_url(request=request))
            try:
                return get_response(request)
            finally:
                _served_base_url.reset(token)

    return middleware
