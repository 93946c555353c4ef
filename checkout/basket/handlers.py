"""Outbox handlers of the basket domain (ADR 0024, 0046): registered when the app is ready."""

from sideeffects.registry import outbox_handler

from . import reminders


@outbox_handler(reminders.REMINDER_MAIL_TOPIC)
def basket_reminder_mail(*, reminder_id: int, base_url: str = "") -> None:
    reminders.basket_reminder_mail_send(reminder_id=reminder_id, base_url=base_url)
