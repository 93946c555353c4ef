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

from django.conf import settings
from django.core.exceptions import DisallowedHost


def site_base_url(*, request=None) -> str:
    """`scheme://host[:port]` (no trailing slash) the shop is served from for `request`, else
    `settings.SITE_URL`. Append a path that starts with "/"."""
    if request is not None:
        try:
            return request.build_absolute_uri("/").rstrip("/")
        except DisallowedHost:
            pass
    return settings.SITE_URL.rstrip("/")
