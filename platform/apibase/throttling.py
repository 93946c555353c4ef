"""DRF throttles that identify the client with `apibase.client_ip` (docs/adr/0027).

DRF's stock `get_ident` trusts the whole `X-Forwarded-For` header when `NUM_PROXIES` is unset, so a
client that rotates a forged header is a new client each time. These classes use the one client-IP
rule instead; use them (not DRF's) for every throttle keyed by address.
"""

from __future__ import annotations

from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from .client_ip import client_ip


class ClientIpIdentMixin:
    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"


class ClientIpRateThrottle(ClientIpIdentMixin, SimpleRateThrottle):
    """Counts requests per client IP under `scope`."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ClientIpScopedRateThrottle(ClientIpIdentMixin, ScopedRateThrottle):
    """DRF's `ScopedRateThrottle` (the view's `throttle_scope`): per user when signed in, else per
    client IP as `apibase.client_ip` finds it."""
