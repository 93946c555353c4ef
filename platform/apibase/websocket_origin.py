"""Which browser origins may open a websocket (ADR 0026).

A browser sends `Origin` on every websocket handshake, and a handshake carries the site's cookies
whatever page started it (cross-site websocket hijacking), so the origin must be this site's own.
The rule is the one Django's CSRF check applies to a form POST, exactly (scheme, host and port):

- the request's own origin: `https` if the handshake came over TLS (`wss`, or SECURE_PROXY_SSL_HEADER
  from the proxy, as for HTTP), else `http`; with the `Host` header, which must be in ALLOWED_HOSTS;
- or one of CSRF_TRUSTED_ORIGINS (`https://shop.example`, `https://*.example.com` for subdomains).

Default ports count as given: `https://shop.example` equals `https://shop.example:443`. Channels'
`AllowedHostsOriginValidator` compares the Origin's host name with ALLOWED_HOSTS only, so
`http://shop.example:9999` (another service on the same host, or plain http) passed; not here.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]  # scheme, host (lower case), port


def header(scope: dict, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def parse_origin(value: str) -> Origin | None:
    """`scheme://host[:port]` as a comparable triple; None for anything else (`null`, paths, junk)."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
        return None
    if parts.query or parts.fragment or parts.username or parts.password:
        return None
    return parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme]


def _is_secure(scope: dict) -> bool:
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header:
        meta_name, expected = proxy_header
        name = meta_name.removeprefix("HTTP_").replace("_", "-").lower().encode()
        value = header(scope, name)
        if value is not None:
            return value.split(",", 1)[0].strip() == expected
    return scope.get("scheme") == "wss"


def own_origin(scope: dict) -> Origin | None:
    """The origin of the page this handshake would be same-origin with, if its Host is allowed."""
    host = header(scope, b"host")
    if not host:
        return None
    domain, _port = split_domain_port(host.lower())
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    return parse_origin(f"{'https' if _is_secure(scope) else 'http'}://{host}")


def _trusted(origin: Origin) -> bool:
    scheme, host, port = origin
    for pattern in settings.CSRF_TRUSTED_ORIGINS:
        wildcard = "://*." in pattern
        trusted = parse_origin(pattern.replace("://*.", "://", 1) if wildcard else pattern)
        if trusted is None or trusted[0] != scheme or trusted[2] != port:
            continue
        if host == trusted[1] or (wildcard and host.endswith("." + trusted[1])):
            return True
    return False


def origin_allowed(scope: dict, origin_header: str) -> bool:
    origin = parse_origin(origin_header)
    if origin is None:
        return False
    return origin == own_origin(scope) or _trusted(origin)
