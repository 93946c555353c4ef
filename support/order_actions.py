"""Services and selectors of the agent console's order actions (ADR 0050): an agent resends an order's
confirmation, cancels an unpaid order, refunds lines, or adds a note, for an order of the conversation's
shopper, without leaving the chat.

Each action goes through the order's own service (checkout.order.services, checkout.payment.services,
the confirmation through checkout.order.notifications and the outbox) and is recorded twice, in the same
transaction: an order note (which agent, from which conversation) and a system message in the
conversation, broadcast live. Who may do what is the API's business (support.api.order_views): every
agent resends and adds notes; cancelling and refunding need `order.change_order` (the Order manager role).
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import Q, QuerySet
from oscar.core.loading import get_model

from apibase.money import money_text
from checkout.order.errors import OrderStatusError
from checkout.order.notifications import order_notifications_add
from checkout.order.services import order_cancel, order_lock, order_note_add
from checkout.order.statuses import can_be_paid
from checkout.payment.services import order_refund

from .models import Conversation, Message
from .services import message_system_post

Order = get_model("order", "Order")

#: how many of the shopper's orders the console offers actions for (newest first)
CONSOLE_ORDERS = 5


def conversation_orders(*, conversation: Conversation) -> QuerySet:
    """The orders an agent may act on from this conversation: the signed-in shopper's orders, or - for a
    guest - the orders placed as a guest with the conversation's email; plus the order the conversation
    is about. Newest first."""
    mine = Q(pk=conversation.order_id) if conversation.order_id else Q(pk__in=[])
    if conversation.customer_id:
        mine |= Q(user_id=conversation.customer_id)
    elif conversation.guest_email:
        mine |= Q(user__isnull=True, guest_email__iexact=conversation.guest_email)
    return Order.objects.filter(mine).order_by("-date_placed", "-pk")


def conversation_order_get(*, conversation: Conversation, number: str):
    """The shopper's order with this number, or None (another shopper's order is not theirs)."""
    return conversation_orders(conversation=conversation).filter(number=number).first()


def conversation_orders_for_console(*, conversation: Conversation) -> list[dict]:
    """The shopper's recent orders with their lines, as the console's order tools show them."""
    orders = list(conversation_orders(conversation=conversation).prefetch_related("lines")[:CONSOLE_ORDERS])
    if conversation.order_id and all(order.pk != conversation.order_id for order in orders):
        orders.insert(0, conversation.order)
    return [
        {
            "number": str(order.number),
            "status": order.status,
            "total": money_text(order.total_incl_tax),
            "currency": order.currency,
            "placed": order.date_placed.isoformat(),
            "unpaid": can_be_paid(order.status),
            "lines": [
                {
                    "id": line.pk,
                    "title": line.title,
                    "quantity": line.quantity,
                    "price": money_text(line.line_price_incl_tax),
                }
                for line in order.lines.all()
            ],  # fmt: skip
        }
        for order in orders
    ]


def _agent_name(agent) -> str:
    return agent.get_full_name() or agent.email


def _record(*, conversation: Conversation, order, agent, done: str, said: str) -> Message:
    """The order note (`done`, for staff) and the conversation's system message (`said`, which the shopper
    sees as well)."""
    order_note_add(
        order=order, by=agent,
        message=f"{done} by {_agent_name(agent)} ({agent.email}) from support conversation #{conversation.pk}.",
    )  # fmt: skip
    return message_system_post(conversation=conversation, author=agent, body=said)


def order_confirmation_resend(*, conversation: Conversation, order, agent) -> Message:
    """Send the order confirmation again, the way the placed order sent it (the outbox, email and SMS
    when the shopper has a phone). Each call sends once: its reference is new, so neither the outbox's
    dedupe key nor the sent-notification record takes it for the first confirmation."""
    with transaction.atomic():
        order_notifications_add(order_id=order.pk, kind="confirmation", reference=f"resend-{uuid.uuid4().hex}")
        return _record(
            conversation=conversation, order=order, agent=agent, done="Order confirmation resent",
            said=f"{agent.first_name or 'Support'} sent the confirmation of order {order.number} again.",
        )  # fmt: skip


def order_cancel_unpaid(*, conversation: Conversation, order, agent, reason: str = "") -> Message:
    """Cancel the order if, under its row lock, it still waits for payment; a paid order is refunded,
    not cancelled here (`OrderStatusError`, 409)."""
    with transaction.atomic():
        locked = order_lock(order=order)
        if not can_be_paid(locked.status):
            raise OrderStatusError(
                f"Order {locked.number} is '{locked.status}': only an unpaid order is cancelled here. "
                "Refund a paid order instead.",
                code="order_not_unpaid",
            )
        note = reason.strip() or f"Cancelled from support conversation #{conversation.pk}."
        order_cancel(order=locked, by=agent, reason=note)
        order.status = locked.status
        return _record(
            conversation=conversation, order=order, agent=agent,
            done="Cancelled" + (f" ({reason.strip()})" if reason.strip() else ""),
            said=f"{agent.first_name or 'Support'} cancelled order {order.number}.",
        )  # fmt: skip


def order_lines_refund(*, conversation: Conversation, order, agent, lines: dict[int, int], reason: str = "") -> Message:
    """Refund these units ({line id: quantity}) through the gateway that took the money
    (`payment.services.order_refund`, which tells the shopper); its `RefundError`s are 409s."""
    with transaction.atomic():
        event = order_refund(order=order, lines=lines, by=agent, reason=reason.strip())
        order.refresh_from_db(fields=["status"])
        amount = f"{money_text(event.amount)} {order.currency}"
        units = ", ".join(
            f"{quantity} × {line.title}" for line, quantity in
            ((item.line, item.quantity) for item in event.line_quantities.select_related("line").order_by("pk"))
        )  # fmt: skip
        return _record(
            conversation=conversation, order=order, agent=agent,
            done=f"Refunded {amount} ({units})" + (f": {reason.strip()}" if reason.strip() else ""),
            said=f"{agent.first_name or 'Support'} refunded {amount} on order {order.number} ({units}).",
        )  # fmt: skip


def order_support_note_add(*, conversation: Conversation, order, agent, message: str) -> Message:
    """Add the agent's note to the order (staff only see its text; the conversation says a note was added)."""
    text = message.strip()
    if not text:
        raise OrderStatusError("A note needs some text.", code="order_note_empty")
    with transaction.atomic():
        order_note_add(
            order=order, by=agent, message=f"{text}\n- {_agent_name(agent)}, support conversation #{conversation.pk}"
        )
        return message_system_post(
            conversation=conversation, author=agent,
            body=f"{agent.first_name or 'Support'} added a note to order {order.number}.",
        )  # fmt: skip
