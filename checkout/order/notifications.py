"""Telling customers about their orders: email always (when we have an address), SMS when the customer
has a phone number. Called by `order.tasks.order_notify` after the transaction that caused it commits.

Each (order, kind, reference, channel) is sent at most once: the `OrderNotification` row is written in
the same transaction as the send, so a retried task skips what already went out.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from oscar.core.loading import get_model

from accounts.sms import SmsSendError, get_sms_backend

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNotification = get_model("order", "OrderNotification")
ShippingEvent = get_model("order", "ShippingEvent")

KINDS = {choice.value for choice in OrderNotification.Kind}

SMS_TEXT = {
    "confirmation": "{shop}: we have your order {number}. Total {total}.",
    "payment": "{shop}: payment received for order {number}. Thank you!",
    "shipping": "{shop}: order {number} is on its way with {carrier}, tracking {tracking}.",
    "cancellation": "{shop}: order {number} has been cancelled.",
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


def order_notification_send(*, order_id: int, kind: str, reference: str = "") -> list[str]:
    """Send the `kind` message about an order by email and, where the customer has a phone, SMS.
    Returns the channels it sent on now (empty when everything had already gone out)."""
    if kind not in KINDS:
        raise ValueError(f"unknown order notification {kind!r}")
    order = Order.objects.select_related("user").filter(pk=order_id).first()
    if order is None:
        return []
    shipping_event = None
    if kind == "shipping":
        shipping_event = ShippingEvent.objects.filter(pk=reference, order=order).first()
        if shipping_event is None:
            return []
    context = {
        "order": order,
        "shipping_event": shipping_event,
        "shop_name": settings.OSCAR_SHOP_NAME,
        "site_url": settings.WAGTAILADMIN_BASE_URL,
        "customer_name": order.user.first_name if order.user else "",
    }
    sent: list[str] = []
    email = order.email  # the user's email, or the guest email
    if email:
        subject = render_to_string(f"emails/order_{kind}_subject.txt", context).strip()
        body = render_to_string(f"emails/order_{kind}_body.txt", context)
        if _once(
            order=order, kind=kind, reference=reference, channel="email", recipient=email,
            send=lambda: send_mail(subject, body, settings.OSCAR_FROM_EMAIL, [email]),
        ):  # fmt: skip
            sent.append("email")
    phone = getattr(order.user, "phone", None) if order.user else None
    if phone:
        text = SMS_TEXT[kind].format(
            shop=settings.OSCAR_SHOP_NAME,
            number=order.number,
            total=f"{order.total_incl_tax} {order.currency}",
            carrier=shipping_event.carrier if shipping_event else "",
            tracking=shipping_event.tracking_number if shipping_event else "",
        )
        try:
            if _once(
                order=order, kind=kind, reference=reference, channel="sms", recipient=phone,
                send=lambda: get_sms_backend().send(to=phone, body=text),
            ):  # fmt: skip
                sent.append("sms")
        except SmsSendError:
            logger.warning("Order %s: %s SMS not delivered", order.number, kind)
            raise
    return sent
