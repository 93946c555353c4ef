"""Writes on accounts. Keyword-only, typed, named <entity>_<action> (HackSoft style)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def welcome_email_send(*, user_id: int) -> bool:
    """Send the welcome email to a user. Returns False when the user no longer exists or is inactive.

    Safe to call twice: sending twice is harmless, but the task is only enqueued once per signup.
    """
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    context = {"user": user, "shop_name": settings.OSCAR_SHOP_NAME, "site_url": settings.WAGTAILADMIN_BASE_URL}
    subject = render_to_string("emails/welcome_subject.txt", context).strip()
    body = render_to_string("emails/welcome_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def welcome_email_schedule(*, user_id: int) -> None:
    """Enqueue the welcome email once the surrounding transaction has committed."""
    from .tasks import send_welcome_email

    transaction.on_commit(lambda: send_welcome_email(user_id))
