"""Telling the customer about their return, by email: requested, approved, rejected, received, refunded.

`return_notification_add` writes one outbox message in the transaction that makes the step (ADR 0024);
the outbox delivers it through `returns.handlers.return_notify` after commit. Each (request, kind) is
sent at most once: the `ReturnNotification` row is written in the same transaction as the send.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from checkout.invoices.attachments import order_email_attachments
from checkout.order.links import order_status_path
from ops.site_url import served_base_url, site_base_url
from sideeffects.services import outbox_message_add

from .models import ReturnNotification, ReturnRequest
from .selectors import return_policy, return_requests_queryset

TOPIC = "returns.notify"
KINDS = ("requested", "approved", "rejected", "received", "refunded")


def return_notification_add(*, return_id: int, kind: str) -> None:
    """Schedule the `kind` email about a return request. Call inside the transaction of the step."""
    if kind not in KINDS:
        raise ValueError(f"unknown return notification {kind!r}")
    outbox_message_add(
        topic=TOPIC,
        payload={"return_id": return_id, "kind": kind, "base_url": served_base_url()},
        dedupe_key=f"{TOPIC}:{return_id}:{kind}",
    )


def return_notification_send(*, return_id: int, kind: str, base_url: str = "") -> bool:
    """Send the `kind` email about a return request, once. True when sent now; False when it went out
    already, or there is no request or no address. Raises on a failed send, so the outbox retries."""
    if kind not in KINDS:
        raise ValueError(f"unknown return notification {kind!r}")
    request = return_requests_queryset().select_related("order__user").filter(pk=return_id).first()
    if request is None:
        return False
    order = request.order
    email = order.email
    if not email:
        return False
    site_url = base_url or site_base_url()
    context = {
        "request": request,
        "order": order,
        "lines": list(request.lines.all()),
        "kind": kind,
        "policy": return_policy(),
        "shop_name": settings.OSCAR_SHOP_NAME,
        "customer_name": order.user.first_name if order.user else "",
        "status_url": site_url + order_status_path(order),
        "approved": request.status != ReturnRequest.Status.REJECTED,
    }
    # the refund's credit note rides on the "refunded" email (order_refund sends no receipt of its own)
    attachments = (
        order_email_attachments(order=order, kind="refund", refund=request.refund_event)
        if kind == "refunded" and request.refund_event_id
        else []
    )
    context["attached"] = [name for name, _content, _type in attachments]
    subject = render_to_string(f"emails/return_{kind}_subject.txt", context).strip()
    body = render_to_string(f"emails/return_{kind}_body.txt", context)
    message = EmailMessage(subject, body, settings.OSCAR_FROM_EMAIL, [email], attachments=attachments)
    try:
        with transaction.atomic():
            ReturnNotification.objects.create(request=request, kind=kind, recipient=email)
            message.send()
    except IntegrityError:
        return False  # already sent
    return True
