"""Outbox handlers of the accounts app (ADR 0024): registered when the app is ready."""

from sideeffects.registry import outbox_handler

from . import mail, services


@outbox_handler(mail.WELCOME_TOPIC)
def welcome_email(*, user_id: int, site_url: str | None = None) -> None:
    services.welcome_email_send(user_id=user_id, site_url=site_url)


@outbox_handler(mail.RENDERED_MAIL_TOPIC, sensitive=True)
def rendered_mail(**message) -> None:
    mail.rendered_mail_send(**message)
