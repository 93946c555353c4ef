"""Telling customers about their orders: email always (when we have an address), SMS when the customer
has a phone number.

`order_notifications_add` writes one outbox message per channel in the transaction that causes the
message (order placed, paid, shipped, cancelled, refunded); the outbox delivers each through
`order.handlers.order_notify` after commit, retrying failures (ADR 0024). One message per channel, so a
failed SMS is retried without touching the email that went out.

Each (order, kind, reference, channel) is sent at most once: the `OrderNotification` row is written in
the same transaction as the send, so a delivery that runs again skips what already went out.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from oscar.core.loading import get_model

from accounts.sms import SmsSendError, get_sms_backend
from apibase.money import money_display
from checkout.invoices.attachments import order_email_attachments
from checkout.order.links import order_pay_path, order_status_path
from checkout.order.statuses import can_be_paid
from ops.site_url import served_base_url, site_base_url
from sideeffects.services import outbox_message_add

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNotification = get_model("order", "OrderNotification")
PaymentEvent = get_model("order", "PaymentEvent")
ShippingEvent = get_model("order", "ShippingEvent")

KINDS = {choice.value for choice in OrderNotification.Kind}
CHANNELS = {choice.value for choice in OrderNotification.Channel}
TOPIC = "order.notify"

SMS_TEXT = {
    "confirmation": "{shop}: we have your order {number}. Total {total}.",
    "payment": "{shop}: payment received for order {number}. Thank you!",
    "shipping": "{shop}: order {number} is on its way with {carrier}, tracking {tracking}.",
    "cancellation": "{shop}: order {number} has been cancelled.",
    "refund": "{shop}: we have refunded {amount} for order {number}.",
}


def _once(*, order, kind: str, reference: str, channel: str, recipient: str, send) -> bool:
    try:
        with transaction.atomic():
            OrderNotification.objects.create(
                order=order, kind=kind, reference=reference, channel=channel, recipient=recipient
            )
            send()  # an exception rolls the record back, so a retry sends again
    except IntegrityError:
        return False  # already sent
    return True


def order_notifications_add(*, order_id: int, kind: str, reference: str = "", has_phone: bool | None = None) -> None:
    """Schedule the `kind` message about an order: by email, and by SMS when the customer has a phone.
    Call inside the transaction that makes the change; at most one message per order, kind, reference
    and channel is ever written (the outbox's dedupe key). `has_phone`: whether the customer has a phone,
    when the caller knows it (else it is looked up)."""
    if kind not in KINDS:
        raise ValueError(f"unknown order notification {kind!r}")
    channels = ["email"]
    if has_phone is None:
        has_phone = Order.objects.filter(pk=order_id, user__phone__gt="").exists()
    if has_phone:
        channels.append("sms")
    for channel in channels:
        outbox_message_add(
            topic=TOPIC,
            payload={
                "order_id": order_id,
                "kind": kind,
                "reference": reference,
                "channel": channel,
                "base_url": served_base_url(),
            },  # fmt: skip
            dedupe_key=f"{TOPIC}:{order_id}:{kind}:{reference}:{channel}",
        )


def _context(*, order, kind: str, shipping_event, refund=None, base_url: str = "") -> dict:
    site_url = base_url or site_base_url()
    return {
        "order": order,
        "shipping_event": shipping_event,
        # a refund: its amount and the units of each line it gave back
        "refund": refund,
        "refund_lines": list(refund.line_quantities.select_related("line").order_by("pk")) if refund else [],
        "shop_name": settings.OSCAR_SHOP_NAME,
        "site_url": site_url,
        "customer_name": order.user.first_name if order.user else "",
        # every message says where to follow the order: the account's order page, or the guest's signed
        # status page; while unpaid, where to pay (the key lets a guest in from the email)
        "status_url": site_url + order_status_path(order),
        "pay_url": site_url + order_pay_path(order, with_key=True) if can_be_paid(order.status) else "",
    }


def order_notification_send(
    *, order_id: int, kind: str, reference: str = "", channel: str = "email", base_url: str = ""
) -> bool:
    """Send the `kind` message about an order on `channel` ("email" or "sms"), once. Returns True when
    it sent it now; False when it had gone out already or there is nobody to send it to (no email, no
    phone, order, shipping event or refund gone). Raises on a failed send (SmsSendError, SMTP errors), so the
    outbox retries it."""
    if kind not in KINDS:
        raise ValueError(f"unknown order notification {kind!r}")
    if channel not in CHANNELS:
        raise ValueError(f"unknown notification channel {channel!r}")
    order = Order.objects.select_related("user").filter(pk=order_id).first()
    if order is None:
        return False
    shipping_event = None
    if kind == "shipping":
        shipping_event = ShippingEvent.objects.filter(pk=reference, order=order).first()
        if shipping_event is None:
            return False
    refund = None
    if kind == "refund":
        refund = PaymentEvent.objects.filter(pk=reference, order=order).first()
        if refund is None:
            return False
    if channel == "email":
        email = order.email  # the user's email, or the guest email
        if not email:
            return False
        context = _context(order=order, kind=kind, shipping_event=shipping_event, refund=refund, base_url=base_url)
        # the paid email carries the invoice, a refund's its credit note: rendered now, at delivery (ADR 0045)
        attachments = order_email_attachments(order=order, kind=kind, refund=refund)
        context["attached"] = [name for name, _content, _type in attachments]
        subject = render_to_string(f"emails/order_{kind}_subject.txt", context).strip()
        body = render_to_string(f"emails/order_{kind}_body.txt", context)
        message = EmailMessage(subject, body, settings.OSCAR_FROM_EMAIL, [email], attachments=attachments)
        return _once(order=order, kind=kind, reference=reference, channel="email", recipient=email, send=message.send)
    phone = getattr(order.user, "phone", None) if order.user else None
    if not phone:
        return False
    text = SMS_TEXT[kind].format(
        shop=settings.OSCAR_SHOP_NAME,
        number=order.number,
        total=money_display(order.total_incl_tax, order.currency),
        amount=money_display(refund.amount, order.currency) if refund else "",
        carrier=shipping_event.carrier if shipping_event else "",
        tracking=shipping_event.tracking_number if shipping_event else "",
    )
    try:
        return _once(
            order=order, kind=kind, reference=reference, channel="sms", recipient=phone,
            send=lambda: get_sms_backend().send(to=phone, body=text),
        )  # fmt: skip
    except SmsSendError:
        logger.warning("Order %s: %s SMS not delivered", order.number, kind)
        raise
