"""Emails for support chat, delivered through the outbox after the message's transaction commits
(`support.handlers`, ADR 0024). Each takes primary keys and is safe to run twice."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ops.site_url import site_base_url

from .models import Conversation, Message
from .selectors import agents_online, customer_online

INBOX_TOPIC = "support.inbox_notify"
REPLY_TOPIC = "support.reply_email"
RATING_TOPIC = "support.rating_email"
_RATING_SALT = "support.rating"


def support_inbox_notify(*, conversation_id: int, base_url: str = "") -> bool:
    """No agent is online: tell the support inbox, at most once per conversation every 10 minutes."""
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None or agents_online():
        return False
    recently = timezone.now() - timedelta(minutes=10)
    updated = (
        Conversation.objects.filter(pk=conversation_id)
        .exclude(inbox_notified_at__gte=recently)
        .update(inbox_notified_at=timezone.now())
    )
    if not updated:
        return False
    last = conversation.messages.filter(role=Message.Role.CUSTOMER).order_by("-id").first()
    context = {"conversation": conversation, "message": last, "site_url": base_url or site_base_url()}
    send_mail(
        f"[Support] {conversation.subject}",
        render_to_string("emails/support_inbox.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [settings.SUPPORT_INBOX_EMAIL],
    )
    return True


def support_reply_email(*, message_id: int, base_url: str = "") -> bool:
    """The shopper was away when support answered: send them the reply."""
    message = Message.objects.select_related("conversation", "conversation__customer").filter(pk=message_id).first()
    if message is None or message.read_at is not None:
        return False
    conversation = message.conversation
    if customer_online(conversation=conversation) or not conversation.contact_email:
        return False
    context = {
        "conversation": conversation,
        "message": message,
        "site_url": base_url or site_base_url(),
    }
    send_mail(
        f"Re: {conversation.subject}",
        render_to_string("emails/support_reply.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [conversation.contact_email],
    )
    return True


def rating_token(*, conversation_id: int) -> str:
    """The signed part of an emailed rating link; it expires after SUPPORT_RATING_DAYS (ADR 0051)."""
    return signing.dumps(conversation_id, salt=_RATING_SALT)


def rating_token_conversation_id(*, token: str) -> int | None:
    """The conversation a rating link names, or None for a forged, malformed or expired link."""
    try:
        value = signing.loads(token, salt=_RATING_SALT, max_age=timedelta(days=settings.SUPPORT_RATING_DAYS))
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def support_rating_email(*, conversation_id: int, base_url: str = "") -> bool:
    """The conversation closed while its shopper was away: ask them to rate it, by a signed link that
    works without signing in. Not sent when it was reopened meanwhile, or already rated."""
    conversation = Conversation.objects.select_related("customer").filter(pk=conversation_id).first()
    if conversation is None or conversation.status != Conversation.Status.CLOSED or not conversation.contact_email:
        return False
    if hasattr(conversation, "rating"):
        return False
    path = reverse("support-rate", args=[rating_token(conversation_id=conversation.pk)])
    context = {
        "conversation": conversation,
        "rating_url": (base_url or site_base_url()).rstrip("/") + path,
        "days": settings.SUPPORT_RATING_DAYS,
    }
    send_mail(
        f"How did we do? {conversation.subject}",
        render_to_string("emails/support_rating.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [conversation.contact_email],
    )
    return True
