"""Mails of the accounts app that leave through the outbox (ADR 0024): the welcome email, and allauth's
mails rendered in the request (see `adapter.AccountAdapter`)."""

from __future__ import annotations

from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection

RENDERED_MAIL_TOPIC = "accounts.rendered_mail"
WELCOME_TOPIC = "accounts.welcome_email"


def rendered_mail_payload(message: EmailMessage) -> dict:
    """A rendered message as JSON: recipients, subject, bodies, headers (no attachments: allauth has none)."""
    alternatives = [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])]
    return {
        "subject": message.subject,
        "body": message.body,
        "content_subtype": message.content_subtype,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": alternatives,
    }


def rendered_mail_send(
    *, subject: str, body: str, from_email: str, to: list[str], content_subtype: str = "plain",
    headers: dict | None = None, alternatives: list | None = None,
) -> None:  # fmt: skip
    """Send a message made by `rendered_mail_payload`. Raises on failure (the outbox retries)."""
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers or {}, connection=get_connection())
    message.content_subtype = content_subtype
    for content, mimetype in alternatives or []:
        message.attach_alternative(content, mimetype)
    message.send(fail_silently=False)
