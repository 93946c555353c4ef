"""Canned replies rendered for a conversation (ADR 0050): selectors of the agent console.

A reply's body is plain text with `{name}` placeholders. Only `{word}` is a placeholder; it is replaced
by the conversation's value, or by nothing when the value is missing (a guest has no first name, a
conversation no order) or the name is unknown. Nothing else in the body is interpreted (no format specs,
attributes or indexes), so no body can fail to render; the chat escapes the text where it is shown.
"""

from __future__ import annotations

import re

from django.db.models import QuerySet
from oscar.core.loading import get_model

from checkout.order.links import order_status_path
from ops.site_url import site_base_url

from .models import MESSAGE_MAX_LENGTH, CannedReply, Conversation

Order = get_model("order", "Order")

PLACEHOLDER = re.compile(r"\{(\w{1,40})\}")
#: the placeholders a body may use, and what each is filled with
PLACEHOLDERS: dict[str, str] = {
    "customer_first_name": "The shopper's first name (empty for a guest).",
    "order_number": "The order the conversation is about, else the shopper's latest order.",
    "tracking_link": "Where the shopper follows that order: its page (a signed link for a guest's order).",
    "agent_first_name": "Your first name.",
}


def _order_of(conversation: Conversation):
    if conversation.order_id:
        return conversation.order
    if conversation.customer_id:
        return Order.objects.filter(user_id=conversation.customer_id).order_by("-date_placed", "-pk").first()
    if conversation.guest_email:
        return (
            Order.objects.filter(user__isnull=True, guest_email__iexact=conversation.guest_email)
            .order_by("-date_placed", "-pk")
            .first()
        )
    return None


def canned_reply_values(*, conversation: Conversation | None, agent=None, request=None) -> dict[str, str]:
    """The placeholder values for `conversation` (all empty without one)."""
    values = dict.fromkeys(PLACEHOLDERS, "")
    values["agent_first_name"] = (getattr(agent, "first_name", "") or "") if agent else ""
    if conversation is None:
        return values
    if conversation.customer_id:
        values["customer_first_name"] = conversation.customer.first_name or ""
    order = _order_of(conversation)
    if order is not None:
        values["order_number"] = str(order.number)
        values["tracking_link"] = site_base_url(request=request) + order_status_path(order)
    return values


def canned_reply_render(*, body: str, values: dict[str, str]) -> str:
    """`body` with each `{name}` replaced by its value ("" when unknown), cut to a message's length."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), body)[:MESSAGE_MAX_LENGTH]


def canned_replies_for(*, conversation: Conversation | None, agent=None, request=None) -> list[dict]:
    """Every canned reply, its body rendered for `conversation`."""
    values = canned_reply_values(conversation=conversation, agent=agent, request=request)
    return [
        {"id": reply.pk, "title": reply.title, "shortcut": reply.shortcut,
         "body": canned_reply_render(body=reply.body, values=values)}
        for reply in canned_replies()
    ]  # fmt: skip


def canned_replies() -> QuerySet:
    return CannedReply.objects.order_by("title", "pk")
