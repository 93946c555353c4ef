"""Throttles for credential endpoints: per client IP and per account (email or phone in the body).

Rates live in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] under `auth_ip` and `auth_account`. The client IP
is `apibase.client_ip`'s (only configured proxies are trusted, docs/adr/0027).
"""

from __future__ import annotations

import hashlib

from rest_framework.throttling import SimpleRateThrottle

from apibase.throttling import ClientIpRateThrottle


class AuthIpThrottle(ClientIpRateThrottle):
    scope = "auth_ip"


class AuthAccountThrottle(SimpleRateThrottle):
    """Counts attempts per email/phone, whoever sends them: stops slow, distributed guessing."""

    scope = "auth_account"

    def get_cache_key(self, request, view):
        data = request.data if hasattr(request.data, "get") else {}
        ident = data.get("email") or data.get("phone")
        if not ident or not isinstance(ident, str):
            return None
        digest = hashlib.sha256("".join(ident.split()).lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


CREDENTIAL_THROTTLES = [AuthIpThrottle, AuthAccountThrottle]
