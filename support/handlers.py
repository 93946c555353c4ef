"""Outbox handlers of support chat (ADR 0024): registered when the app is ready."""

from sideeffects.registry import outbox_handler

from . import emails


@outbox_handler(emails.INBOX_TOPIC)
def inbox_notify(*, conversation_id: int, base_url: str = "") -> None:
    emails.support_inbox_notify(conversation_id=conversation_id, base_url=base_url)


@outbox_handler(emails.REPLY_TOPIC)
def reply_email(*, message_id: int, base_url: str = "") -> None:
    emails.support_reply_email(message_id=message_id, base_url=base_url)


@outbox_handler(emails.RATING_TOPIC)
def rating_email(*, conversation_id: int, base_url: str = "") -> None:
    emails.support_rating_email(conversation_id=conversation_id, base_url=base_url)
