"""Who may read `/metrics`: a request with `Authorization: Bearer <METRICS_TOKEN>`, or one whose peer
address is in `METRICS_ALLOWED_NETWORKS`. A request that came through a proxy (it carries a forwarding
header) is refused either way: the proxies in front of Hypex face the internet, Prometheus scrapes
processes directly (nginx does not proxy /metrics either). With neither setting, nobody may: production
leaves both empty unless the operator sets one (docs/OPERATIONS.md)."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable, Mapping

FORWARDING_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host")


def networks_parse(values: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """CIDRs (or single addresses) as networks; a malformed entry raises ValueError at start-up."""
    return [ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip()]


def metrics_access_allowed(*, peer: str | None, headers: Mapping[str, str], token: str, networks: Iterable) -> bool:
    """`headers` has lower-case names. `peer` is the socket's remote address, not a forwarded one."""
    if any(name in headers for name in FORWARDING_HEADERS):
        return False
    authorization = headers.get("authorization", "")
    if token and authorization.startswith("Bearer "):
        return hmac.compare_digest(authorization.removeprefix("Bearer ").strip().encode(), token.encode())
    if not peer:
        return False
    try:
        address = ipaddress.ip_address(peer.split("%", 1)[0])
    except ValueError:
        return False
    return any(address in network for network in networks)
