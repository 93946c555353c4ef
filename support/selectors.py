"""Reads on support chat: who may see which conversation, the state it is in, and what an agent sees
beside it.

A conversation's state follows what happened, read from its messages: "waiting" while the shopper spoke
last and no agent has answered, "answered" once an agent spoke last, "closed" when it was closed. System
messages do not count. (The stored `status` only knows open/waiting/closed as the last write left it;
the console, the API and the widget show the state.)"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from oscar.core.loading import get_model

from apibase.money import money_text
from ops.process_memo import ProcessMemo

from .models import BasketProposal, Conversation, Message, Presence

WAITING = "waiting"
ANSWERED = "answered"
CLOSED = "closed"
#: every state and how a page names it
STATES: dict[str, str] = {WAITING: "Waiting for support", ANSWERED: "Answered", CLOSED: "Closed"}


def _last_speaker() -> Subquery:
    spoken = Message.objects.filter(conversation=OuterRef("pk")).exclude(role=Message.Role.SYSTEM)
    return Subquery(spoken.order_by("-id").values("role")[:1])


def conversations_with_state(queryset: QuerySet) -> QuerySet:
    """`queryset` with each conversation's last speaker (`last_speaker`) in the same query, so
    `conversation_state` asks nothing more, however many conversations are listed."""
    return queryset.annotate(last_speaker=_last_speaker())


def conversation_state(conversation: Conversation) -> str:
    """ "waiting", "answered" or "closed" (see the module docstring). One query unless the conversation
    came from `conversations_with_state`."""
    if conversation.status == Conversation.Status.CLOSED:
        return CLOSED
    if hasattr(conversation, "last_speaker"):
        last = conversation.last_speaker
    else:
        last = (
            conversation.messages.exclude(role=Message.Role.SYSTEM)
            .order_by("-id")
            .values_list("role", flat=True)
            .first()
        )
    return ANSWERED if last == Message.Role.AGENT else WAITING


def user_is_agent(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff
                and user.has_perm("support.view_conversation"))  # fmt: skip


def conversations_visible_to(*, user, session_key: str | None) -> QuerySet:
    """Agents see every conversation; a shopper their own; a guest those bound to their session."""
    queryset = conversations_with_state(Conversation.objects.select_related("customer", "assigned_agent"))
    if user_is_agent(user):
        return queryset
    if user is not None and user.is_authenticated:
        return queryset.filter(customer=user)
    if session_key:
        return queryset.filter(customer__isnull=True, guest_session_key=session_key)
    return queryset.none()


def conversation_for(*, conversation_id: int, user, session_key: str | None) -> Conversation | None:
    return conversations_visible_to(user=user, session_key=session_key).filter(pk=conversation_id).first()


def messages_after(*, conversation: Conversation, after_id: int = 0, limit: int = 200) -> list[Message]:
    return list(conversation.messages.select_related("author").filter(id__gt=after_id).order_by("id")[:limit])


def _fresh_presence() -> QuerySet:
    cutoff = timezone.now() - timedelta(seconds=settings.SUPPORT_PRESENCE_TTL_SECONDS)
    return Presence.objects.filter(last_seen__gte=cutoff)


def agents_online() -> bool:
    """Is an agent on the console (in any process)?"""
    return _fresh_presence().filter(role=Message.Role.AGENT, conversation__isnull=True).exists()


#: `agents_online()` as seen on a shopper's message (email the inbox when nobody is on the console?): read
#: at most every 5 s per process (ADR 59 addendum). Presence already counts a console for
#: SUPPORT_PRESENCE_TTL_SECONDS after its last heartbeat, so an answer a few seconds old is as good; a
#: console joining or leaving in this process is seen at once (`presence_join/leave` forget it).
agents_online_lately = ProcessMemo(agents_online, seconds=5)


def customer_online(*, conversation: Conversation) -> bool:
    return _fresh_presence().filter(role=Message.Role.CUSTOMER, conversation=conversation).exists()


def basket_lines(basket) -> list[dict]:
    """A basket's lines as the agent sees them beside the chat (the context's and the live `basket` frame's)."""
    if basket is None:
        return []
    return [
        {"product": line.product.get_title() if line.product else "", "quantity": line.quantity,
         "price": money_text(line.price_incl_tax or line.price_excl_tax) or "", "currency": line.price_currency}
        for line in basket.all_lines()
    ]  # fmt: skip


def conversation_basket(*, conversation: Conversation):
    """The shopper's open basket: a signed-in shopper's newest open one; for a guest, the basket their
    last accepted proposal went into, while it is open (ADR 0049). None when unknown."""
    Basket = get_model("basket", "Basket")  # noqa: N806
    if conversation.customer_id:
        return Basket.open.filter(owner_id=conversation.customer_id).order_by("-date_created").first()
    accepted = (
        BasketProposal.objects.filter(conversation=conversation, basket__isnull=False, basket__status=Basket.OPEN)
        .order_by("-accepted_at", "-id")
        .values_list("basket_id", flat=True)
        .first()
    )
    return Basket.objects.filter(pk=accepted).first() if accepted else None


def conversation_context(*, conversation: Conversation) -> dict:
    """What an agent sees beside the chat: the shopper's basket, recent orders, the product asked about."""
    orders = []
    basket_view = basket_lines(conversation_basket(conversation=conversation))
    if conversation.customer_id:
        orders = [
            {"number": str(order.number), "status": order.status, "total": money_text(order.total_incl_tax),
             "currency": order.currency, "placed": order.date_placed.isoformat()}
            for order in get_model("order", "Order").objects.filter(user_id=conversation.customer_id)
            .order_by("-date_placed")[:5]
        ]  # fmt: skip
    product = conversation.product
    return {
        "customer": str(conversation.customer) if conversation.customer_id else conversation.guest_email,
        "basket": basket_view,
        "orders": orders,
        "product": {"id": product.pk, "title": product.get_title(), "url": product.get_absolute_url()}
        if product
        else None,
        "order": str(conversation.order.number) if conversation.order_id else None,
    }


def conversations_for_console(*, limit: int = 200) -> list[Conversation]:
    """The console's list before its socket's snapshot arrives: every conversation not closed, waiting
    ones first (longest waiting first), then the rest by their last message; one query."""
    queryset = conversations_with_state(
        Conversation.objects.exclude(status=Conversation.Status.CLOSED).select_related("customer", "assigned_agent")
    )
    conversations = list(queryset.order_by("-last_message_at")[:limit])
    conversations.sort(key=lambda c: (conversation_state(c) != WAITING, c.waiting_since or c.last_message_at))
    return conversations


def conversations_waiting_count() -> int:
    """Conversations whose shopper spoke last and waits for support (what the on-call dashboard shows)."""
    open_ones = Conversation.objects.exclude(status=Conversation.Status.CLOSED)
    return conversations_with_state(open_ones).exclude(last_speaker=Message.Role.AGENT).count()
