"""What goes over the channel layer, and to which group. Consumers relay these to their sockets."""

from __future__ import annotations

from ops.realtime import group_send_many_best_effort

from .selectors import conversation_state
from .sla import conversation_time_left

AGENTS_GROUP = "support.agents"


def conversation_group(conversation_id: int) -> str:
    return f"support.conversation.{conversation_id}"


def orders_group(user_id: int) -> str:
    return f"orders.user.{user_id}"


def order_group(order_id: int) -> str:
    """One order's followers on `ws/orders/?order=...` (its guest with the signed key, or its owner)."""
    return f"orders.order.{order_id}"


def order_broadcast(order, event: dict) -> None:
    """Send an order's news to its owner's sockets (if it has an owner) and to its own followers."""
    if order.user_id:
        broadcast(orders_group(order.user_id), event)
    broadcast(order_group(order.pk), event)


def message_payload(message) -> dict:
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "role": message.role,
        "author": _author_name(message),
        "body": message.body,
        "attachment": message.attachment.url if message.attachment else None,
        "created_at": message.created_at.isoformat(),
        "read_at": message.read_at.isoformat() if message.read_at else None,
    }


def conversation_payload(conversation, *, sla_target=None) -> dict:
    """The conversation as sockets see it. `sla_seconds_left` / `sla_due_at` / `sla_breached`: the
    first-response target in business hours while it waits (support.sla); pass `sla_target`
    (`support.sla.service_level_target()`) when building many, to read the setting once."""
    return {
        "id": conversation.pk,
        "subject": conversation.subject,
        "status": conversation.status,
        "state": conversation_state(conversation),
        "customer": str(conversation.customer) if conversation.customer_id else conversation.guest_email,
        "assigned_agent": str(conversation.assigned_agent) if conversation.assigned_agent_id else None,
        "waiting_since": conversation.waiting_since.isoformat() if conversation.waiting_since else None,
        "last_message_at": conversation.last_message_at.isoformat(),
        **conversation_time_left(conversation, target=sla_target),
    }


def _author_name(message) -> str:
    if message.role == "agent":
        return (message.author.first_name or "Support") if message.author_id else "Support"
    if message.role == "system":
        return "Hypex"
    return (message.author.first_name or "You") if message.author_id else "Guest"


def broadcast(group: str, event: dict) -> bool:
    """Send `event` to a group. Call after commit (services use transaction.on_commit). Best effort:
    when the channel layer is away it is logged and False is returned, never raised, so a stored
    message or status change does not answer 500; clients fetch what they missed (ADR 0025)."""
    return broadcast_many([(group, event)])


def broadcast_many(sends: list[tuple[str, dict]]) -> bool:
    """`broadcast` to several groups at once: the sends overlap instead of waiting one after the other."""
    return group_send_many_best_effort(sends)
