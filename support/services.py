"""Writes on support chat. A message is saved first, then broadcast after commit, then (if nobody is
there to read it) emailed: the email is written to the outbox with the message (ADR 0024)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from mediafiles.images import ImageRejected, image_decode, image_rename
from ops.site_url import served_base_url
from sideeffects.services import outbox_message_add

from . import emails, events
from .errors import AttachmentInvalid, ContextNotYours, ConversationClosed, MessageEmpty, RatingInvalid, RatingNotOpen
from .metrics import FIRST_RESPONSE
from .models import MESSAGE_MAX_LENGTH, RATING_COMMENT_MAX_LENGTH, Conversation, ConversationRating, Message, Presence
from .selectors import agents_online_lately, customer_online


def attachment_validate(*, upload) -> None:
    """Images only, decoded by Pillow (not trusted by name or declared type), within size and pixel
    limits; an accepted upload is renamed to `<random>.<decoded format>` (ADR 0026)."""
    try:
        decoded = image_decode(
            upload=upload,
            max_bytes=settings.SUPPORT_ATTACHMENT_MAX_BYTES,
            max_pixels=settings.SUPPORT_ATTACHMENT_MAX_PIXELS,
        )
    except ImageRejected as rejected:
        raise AttachmentInvalid(detail=f"{rejected.message} {AttachmentInvalid.default_detail}") from rejected
    image_rename(upload=upload, decoded=decoded)


def _broadcast_message(message: Message) -> None:
    payload = events.message_payload(message)
    conversation = message.conversation
    console = {"type": "agents.update", "conversation": events.conversation_payload(conversation), "message": payload}
    events.broadcast_many(
        [(events.conversation_group(conversation.pk), {"type": "chat.message", "message": payload}),
         (events.AGENTS_GROUP, console)]
    )  # fmt: skip


@transaction.atomic
def conversation_start(
    *, customer=None, guest_email: str = "", session_key: str = "", subject: str, body: str,
    product_id: int | None = None, order_id: int | None = None,
) -> Conversation:  # fmt: skip
    """Open a conversation with its first message. A guest is bound to their session and an email."""
    order = None
    if order_id is not None:
        order = get_model("order", "Order").objects.filter(pk=order_id).first()
        if order is None or customer is None or order.user_id != customer.pk:
            raise ContextNotYours()
    product = get_model("catalogue", "Product").objects.filter(pk=product_id).first() if product_id else None
    conversation = Conversation.objects.create(
        customer=customer,
        guest_email="" if customer else guest_email,
        guest_session_key="" if customer else session_key,
        subject=subject.strip()[:200],
        product=product,
        order=order,
    )
    message_post(conversation=conversation, author=customer, role=Message.Role.CUSTOMER, body=body)
    return conversation


def message_post(*, conversation: Conversation, author, role: str, body: str = "", attachment=None) -> Message:
    """Store a message, then broadcast it after commit; email whoever is away (see module docstring)."""
    body = (body or "").strip()
    if not body and not attachment:
        raise MessageEmpty()
    if len(body) > MESSAGE_MAX_LENGTH:
        raise MessageEmpty(detail=f"A message has at most {MESSAGE_MAX_LENGTH} characters.")
    if attachment is not None:
        attachment_validate(upload=attachment)
    with transaction.atomic():
        # The people are read with the row (the broadcast names them); only the conversation is locked.
        locked = Conversation.objects.select_for_update(of=("self",)).select_related("customer", "assigned_agent")
        conversation = locked.get(pk=conversation.pk)
        if conversation.status == Conversation.Status.CLOSED:
            raise ConversationClosed()
        now = timezone.now()
        message = Message.objects.create(
            conversation=conversation, author=author, role=role, body=body, attachment=attachment, created_at=now
        )
        conversation.last_message_at = now
        fields = ["last_message_at"]
        if role == Message.Role.CUSTOMER and conversation.status != Conversation.Status.WAITING:
            conversation.status, conversation.waiting_since = Conversation.Status.WAITING, now
            fields += ["status", "waiting_since"]
        elif role == Message.Role.CUSTOMER and conversation.waiting_since is None:
            conversation.waiting_since = now
            fields.append("waiting_since")
        elif role == Message.Role.AGENT:
            if not conversation.messages.filter(role=Message.Role.AGENT).exclude(pk=message.pk).exists():
                waited = (now - conversation.created_at).total_seconds()
                transaction.on_commit(lambda: FIRST_RESPONSE.observe(waited))
            conversation.status, conversation.waiting_since = Conversation.Status.OPEN, None
            fields += ["status", "waiting_since"]
            if conversation.assigned_agent_id is None and author is not None:
                conversation.assigned_agent = author
                fields.append("assigned_agent")
        conversation.save(update_fields=fields)
        if role != Message.Role.SYSTEM:
            conversation.last_speaker = role  # what selectors.conversation_state would query for
        message.conversation = conversation
        transaction.on_commit(lambda: _broadcast_message(message))
        if role == Message.Role.CUSTOMER and not agents_online_lately():
            outbox_message_add(
                topic=emails.INBOX_TOPIC, payload={"conversation_id": conversation.pk, "base_url": served_base_url()}
            )
        elif role == Message.Role.AGENT and not customer_online(conversation=conversation):
            outbox_message_add(
                topic=emails.REPLY_TOPIC,
                payload={"message_id": message.pk, "base_url": served_base_url()},
                dedupe_key=f"{emails.REPLY_TOPIC}:{message.pk}",
            )
    return message


def messages_mark_read(*, conversation: Conversation, reader_role: str, up_to_id: int) -> int:
    """Mark the other side's messages up to `up_to_id` as read; broadcast a read receipt."""
    other = Message.Role.AGENT if reader_role == Message.Role.CUSTOMER else Message.Role.CUSTOMER
    updated = conversation.messages.filter(role=other, id__lte=up_to_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if updated:
        event = {"type": "chat.read", "role": reader_role, "up_to": up_to_id}
        transaction.on_commit(lambda: events.broadcast(events.conversation_group(conversation.pk), event))
    return updated


def _set_status(*, conversation: Conversation, status: str, event_type: str) -> Conversation:
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        conversation.status = status
        conversation.closed_at = timezone.now() if status == Conversation.Status.CLOSED else None
        conversation.save(update_fields=["status", "closed_at"])
        payload = events.conversation_payload(conversation)
        event = {"type": "chat.status", "event": event_type, "conversation": payload}
        transaction.on_commit(lambda: events.broadcast(events.conversation_group(conversation.pk), event))
        transaction.on_commit(
            lambda: events.broadcast(events.AGENTS_GROUP, {"type": "agents.update", "conversation": payload})
        )
    return conversation


def conversation_close(*, conversation: Conversation) -> Conversation:
    """Close it. A shopper who is not there to see the widget's rating card is emailed a rating link
    (through the outbox, once per closing; ADR 0051)."""
    with transaction.atomic():
        conversation = _set_status(conversation=conversation, status=Conversation.Status.CLOSED, event_type="closed")
        if conversation.contact_email and not customer_online(conversation=conversation):
            outbox_message_add(
                topic=emails.RATING_TOPIC,
                payload={"conversation_id": conversation.pk, "base_url": served_base_url()},
                dedupe_key=f"{emails.RATING_TOPIC}:{conversation.pk}:{conversation.closed_at.isoformat()}",
            )
    return conversation


def conversation_reopen(*, conversation: Conversation) -> Conversation:
    return _set_status(conversation=conversation, status=Conversation.Status.WAITING, event_type="reopened")


def conversation_assign(*, conversation: Conversation, agent) -> Conversation:
    conversation.assigned_agent = agent
    conversation.save(update_fields=["assigned_agent"])
    payload = events.conversation_payload(conversation)
    transaction.on_commit(
        lambda: events.broadcast(events.AGENTS_GROUP, {"type": "agents.update", "conversation": payload})
    )
    return conversation


def presence_join(*, channel_name: str, user, role: str, conversation_id: int | None = None) -> None:
    Presence.objects.update_or_create(
        channel_name=channel_name,
        defaults={"user": user if user and user.is_authenticated else None, "role": role,
                  "conversation_id": conversation_id, "last_seen": timezone.now()},
    )  # fmt: skip
    agents_online_lately.forget()


def presence_touch(*, channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name).update(last_seen=timezone.now())


def presence_leave(*, channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name).delete()
    agents_online_lately.forget()


def rating_validate(*, score, comment) -> tuple[int, str]:
    """A whole number 1..5 (not a bool, not a float) and an optional comment of text without NUL,
    at most RATING_COMMENT_MAX_LENGTH characters. Returns them cleaned; raises RatingInvalid."""
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise RatingInvalid(detail="Rate with a whole number from 1 to 5.")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        raise RatingInvalid(detail="A comment is text.")
    comment = comment.strip()
    if "\x00" in comment:
        raise RatingInvalid(detail="A comment cannot contain NUL characters.")
    if len(comment) > RATING_COMMENT_MAX_LENGTH:
        raise RatingInvalid(detail=f"A comment has at most {RATING_COMMENT_MAX_LENGTH} characters.")
    return score, comment


def conversation_rate(*, conversation: Conversation, score, comment="") -> ConversationRating:
    """The shopper rates a closed conversation: one rating per conversation; rating again replaces it
    until `SUPPORT_RATING_DAYS` after closing, then RatingNotOpen (as for a conversation not closed).
    Callers check that the rater is the conversation's shopper (ADR 0051)."""
    score, comment = rating_validate(score=score, comment=comment)
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        now = timezone.now()
        closed_at = conversation.closed_at
        if conversation.status != Conversation.Status.CLOSED or closed_at is None:
            raise RatingNotOpen(detail="Only a closed conversation can be rated.")
        if now > closed_at + timedelta(days=settings.SUPPORT_RATING_DAYS):
            days = settings.SUPPORT_RATING_DAYS
            raise RatingNotOpen(detail=f"A conversation can be rated within {days} days of closing.")
        rating, created = ConversationRating.objects.get_or_create(
            conversation=conversation,
            defaults={"score": score, "comment": comment, "created_at": now, "updated_at": now},
        )
        if not created:
            rating.score, rating.comment, rating.updated_at = score, comment, now
            rating.save(update_fields=["score", "comment", "updated_at"])
    return rating


def message_system_post(*, conversation: Conversation, body: str, author=None) -> Message:
    """Record something that happened in the conversation (an agent's action on an order) as a system
    message, broadcast after commit like any message. It does not change who is waiting and emails
    nobody; a closed conversation takes it too (what was done is recorded where it was asked about)."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        now = timezone.now()
        message = Message.objects.create(
            conversation=conversation, author=author, role=Message.Role.SYSTEM, body=body[:MESSAGE_MAX_LENGTH],
            created_at=now,
        )  # fmt: skip
        conversation.last_message_at = now
        conversation.save(update_fields=["last_message_at"])
        message.conversation = conversation
        transaction.on_commit(lambda: _broadcast_message(message))
    return message
