"""allauth's account adapter.

- Mails (email verification, password reset, "account already exists", notifications) are written to
  the outbox instead of sent inside the request (ADR 0024). allauth renders these mails from the request
  (links to this host, one-time keys and codes that may live only in the session), so the rendered
  message is the payload: the request renders it, the outbox's handler sends it after commit, retrying
  failures. Such a payload holds a live link: it is marked sensitive (hidden in the back office, erased
  once delivered). allauth builds its links from the request; the site named in the mail
  (`current_site`) is also the host the request came to, not the Sites table's domain (ADR 0031).
- allauth's own rate limits (page login, sign-up, password reset) count per client IP as
  `apibase.client_ip` finds it, the same rule as the API throttles (docs/adr/0027).
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.requests import RequestSite
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from apibase.client_ip import client_ip
from sideeffects.services import outbox_message_add

from .mail import RENDERED_MAIL_TOPIC, rendered_mail_payload


def _served_site(request):
    """The site as the request reached it: the shop's name, the request's (ALLOWED_HOSTS-checked) host."""
    if request is None:
        return get_current_site(request)
    site = RequestSite(request)
    site.name = settings.OSCAR_SHOP_NAME
    return site


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render as allauth does, then add the message to the outbox in the caller's transaction (or a
        transaction of its own when the caller has none, e.g. allauth's password reset form)."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": _served_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        with transaction.atomic():
            outbox_message_add(topic=RENDERED_MAIL_TOPIC, payload=rendered_mail_payload(message))

    def get_client_ip(self, request: HttpRequest) -> str:
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client IP address.")
        return ip
