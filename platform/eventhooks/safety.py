"""Where a webhook may be sent (ADR 0048): an endpoint URL is an address staff type in, and the server
POSTs to it, so an unchecked URL would let the shop call its own private network (SSRF: the cloud
metadata service, Redis, the admin of another service).

- The scheme must be https, unless `WEBHOOK_ALLOW_HTTP` (local and test settings).
- Every address the host resolves to must be public: not loopback, private, link-local, multicast,
  reserved or unspecified, unless `WEBHOOK_ALLOW_PRIVATE_URLS` (local and test settings; production
  refuses unless the operator switches it on).
- No credentials in the URL, no redirects followed (a public endpoint cannot bounce the POST inward).

Checked when staff save the endpoint and again before every attempt (DNS may have changed).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class WebhookUrlRefused(ValueError):
    """The URL may not receive webhooks; the message says why (shown to staff, logged on the attempt)."""


def _addresses(host: str, port: int) -> list[str]:
    try:
        return [ipaddress.ip_address(host).compressed]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise WebhookUrlRefused(f"The host {host!r} cannot be resolved.") from exc
    return sorted({info[4][0] for info in infos})


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def webhook_url_check(*, url: str) -> None:
    """Raise `WebhookUrlRefused` unless `url` may receive webhooks under the current settings."""
    if "\x00" in url or any(ch.isspace() for ch in url):
        raise WebhookUrlRefused("The URL may not contain spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise WebhookUrlRefused("This is not a valid URL.") from exc
    allowed = ("https", "http") if settings.WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed:
        raise WebhookUrlRefused("Webhook URLs must use https.")
    if not parts.hostname:
        raise WebhookUrlRefused("The URL has no host.")
    if parts.username or parts.password:
        raise WebhookUrlRefused("The URL may not carry a user name or password.")
    if settings.WEBHOOK_ALLOW_PRIVATE_URLS:
        return
    port = port or (443 if parts.scheme == "https" else 80)
    for address in _addresses(parts.hostname, port):
        if not _is_public(address):
            raise WebhookUrlRefused(
                f"The host {parts.hostname!r} resolves to {address}, a private, loopback or link-local address."
            )
