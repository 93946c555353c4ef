"""The one answer to "which address is the client?", for HTTP requests and ASGI (websocket) scopes.

Only the proxies the operator declares are trusted (`TRUSTED_PROXY_COUNT`, docs/adr/0027):

- 0 (no proxy): the peer address of the TCP connection (`REMOTE_ADDR` / `scope["client"]`);
  `X-Forwarded-For` is ignored whatever it says.
- N > 0: each trusted proxy appends the address it saw to `X-Forwarded-For`, so the client is the N-th
  entry counted from the right. Entries further left were written by the client and are ignored.
  A header shorter than N (a request that did not pass every proxy) yields its left-most entry, the
  same rule as DRF's `NUM_PROXIES`, which is set from the same setting so DRF throttles agree.

Returns a normalised IP string, or None when no address is known (an in-process test scope, a
Unix socket).
An entry that is not an IP address (a broken proxy) falls back to the peer address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from django.conf import settings


def _normalise(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _peer_and_forwarded(request_or_scope) -> tuple[str | None, str | None]:
    if isinstance(request_or_scope, Mapping):  # an ASGI scope
        client = request_or_scope.get("client")
        peer = client[0] if client else None
        forwarded = None
        for name, value in request_or_scope.get("headers", []):
            if name.lower() == b"x-forwarded-for":
                # Several header lines are one comma-separated list (RFC 9110, 5.3).
                text = value.decode("latin1")
                forwarded = f"{forwarded},{text}" if forwarded else text
        return peer, forwarded
    meta = request_or_scope.META
    return meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR")


def client_ip(request_or_scope, *, trusted_proxies: int | None = None) -> str | None:
    """The client's IP address for an `HttpRequest`, a DRF `Request` or an ASGI scope."""
    count = settings.TRUSTED_PROXY_COUNT if trusted_proxies is None else trusted_proxies
    peer, forwarded = _peer_and_forwarded(request_or_scope)
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            chosen = _normalise(hops[-min(count, len(hops))])
            if chosen:
                return chosen
    return _normalise(peer)


def websocket_scheme(scope) -> str:
    """`ws` or `wss` as the client used it. Behind trusted proxies (TLS ends at nginx) that is the
    proxy's `X-Forwarded-Proto`; with none, the server's own `scope["scheme"]`. The HTTP equivalent is
    Django's `request.scheme` with `SECURE_PROXY_SSL_HEADER`, which production sets on the same condition."""
    if settings.TRUSTED_PROXY_COUNT > 0:
        for name, value in scope.get("headers", []):
            if name.lower() == b"x-forwarded-proto":
                proto = value.decode("latin1").split(",")[-1].strip().lower()
                if proto in {"https", "wss"}:
                    return "wss"
                if proto in {"http", "ws"}:
                    return "ws"
    return scope.get("scheme") or "ws"
