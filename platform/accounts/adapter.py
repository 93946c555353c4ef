"""allauth's account adapter: allauth's own rate limits (page login, sign-up, password reset) count per
client IP as `apibase.client_ip` finds it, the same rule as the API throttles (docs/adr/0027)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from apibase.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client IP address.")
        return ip
