"""Emails for support chat, delivered through the outbox after the message's transaction commits
(`support.handlers`, ADR 0024). Each takes primary keys and is safe to run twice."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from ops.site_url import site_base_url

from .models import Conversation, Message
from .selectors import agents_online, customer_online

INBOX_TOPIC = "support.inbox_notify"
REPLY_TOPIC = "support.reply_email"


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
