"""Telling the merchant that an endpoint was disabled (ADR 0048): sent by the outbox handler
`handlers.webhook_endpoint_disabled_email` after the transaction that disabled it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string

from .models import WebhookEndpoint


def webhook_alert_recipients(*, endpoint: WebhookEndpoint) -> list[str]:
    """Who hears of a disabled endpoint: its contact (else the staff who created it) and
    `WEBHOOK_ALERT_EMAILS`; when that is nobody, the active superusers."""
    recipients = []
    if endpoint.contact_email:
        recipients.append(endpoint.contact_email)
    elif endpoint.created_by_id and endpoint.created_by.email:
        recipients.append(endpoint.created_by.email)
    recipients += [email for email in settings.WEBHOOK_ALERT_EMAILS if email not in recipients]
    if not recipients:
        recipients = list(
            get_user_model()
            .objects.filter(is_superuser=True, is_active=True)
            .exclude(email="")
            .order_by("pk")
            .values_list("email", flat=True)
        )
    return recipients


def webhook_endpoint_disabled_email_send(*, endpoint_id: int) -> int:
    """Email the endpoint's recipients that it was disabled and why; returns how many mails left (0 when
    the endpoint is gone or enabled again meanwhile)."""
    endpoint = WebhookEndpoint.objects.select_related("created_by").filter(pk=endpoint_id).first()
    if endpoint is None or endpoint.enabled:
        return 0
    recipients = webhook_alert_recipients(endpoint=endpoint)
    if not recipients:
        return 0
    context = {"endpoint": endpoint, "shop_name": settings.OSCAR_SHOP_NAME}
    subject = f"{settings.OSCAR_SHOP_NAME}: webhook endpoint disabled ({endpoint.url})"[:200]
    body = render_to_string("emails/webhook_endpoint_disabled.txt", context)
    return send_mail(subject, body, None, recipients)
