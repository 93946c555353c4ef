"""Writes on back-in-stock alerts (Oscar's `customer.ProductAlert`, used as it is; ADR 0046).

- `product_alert_subscribe`: a signed-in shopper's alert is active at once; a guest's waits for the
  confirmation link mailed to them (Oscar's key). One open alert per product and person.
- `product_alerts_send`: close up to a batch of active alerts whose product is back and write one mail per
  alert to the outbox, in the same transaction: each subscriber is mailed once. Run when a stock record
  comes back (`partner.stock_transitions`, through the outbox) and every minute for the rest.
- The mails themselves (`product_alert_mail_send`, `product_alert_confirmation_send`) are delivered by
  the outbox handlers in `handlers.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from accounts.unsubscribe import unsubscribe_headers, unsubscribe_url
from ops.site_url import served_base_url
from sideeffects.services import outbox_message_add

from . import errors, selectors

Product = get_model("catalogue", "Product")
ProductAlert = get_model("customer", "ProductAlert")

ALERT_MAIL_TOPIC = "catalogue.product_alert_mail"
CONFIRM_MAIL_TOPIC = "catalogue.product_alert_confirm"


def product_alert_subscribe(*, product, user=None, email: str = ""):
    """Ask to be emailed when `product` (standalone, variant, or a parent: any of its variants) is back.

    Raises ProductInStock when it can be bought now, AlertExists when this person already waits for
    it, EmailRequired for a guest without an email. Returns the alert: ACTIVE for a signed-in user,
    UNCONFIRMED for a guest (a confirmation mail is written to the outbox)."""
    signed_in = user is not None and user.is_authenticated
    email = "" if signed_in else (email or "").strip().lower()
    if not signed_in and not email:
        raise errors.EmailRequired()
    if signed_in and not user.email:  # signed in with a phone code only: nowhere to mail
        raise errors.EmailRequired("Add an email address to your account to be told when it is back.")
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=product.pk).first()  # one alert per person, also when raced
        if selectors.products_in_stock(product_ids=[product.pk]):
            raise errors.ProductInStock()
        if selectors.product_alert_open(product=product, user=user, email=email) is not None:
            raise errors.AlertExists()
        if signed_in:
            return ProductAlert.objects.create(product=product, user=user, status=ProductAlert.ACTIVE)
        alert = ProductAlert.objects.create(product=product, email=email)  # Oscar: unconfirmed, with a key
        outbox_message_add(
            topic=CONFIRM_MAIL_TOPIC, payload={"alert_id": alert.pk, "base_url": served_base_url()},
            dedupe_key=f"{CONFIRM_MAIL_TOPIC}:{alert.pk}",
        )  # fmt: skip
        return alert


def product_alert_confirm(*, key: str):
    """Confirm a guest's alert by the key mailed to them; returns it, or None for an unknown key.
    Confirming twice changes nothing."""
    alert = ProductAlert.objects.filter(key=key).exclude(key="").select_related("product").first()
    if alert is not None and alert.status == ProductAlert.UNCONFIRMED:
        alert.status, alert.date_confirmed = ProductAlert.ACTIVE, timezone.now()
        alert.save(update_fields=["status", "date_confirmed"])
    return alert


def product_alert_cancel(*, key: str):
    """Cancel a guest's open alert by its key; returns it, or None for an unknown key."""
    alert = ProductAlert.objects.filter(key=key).exclude(key="").select_related("product").first()
    if alert is not None and alert.status in selectors.OPEN_STATUSES:
        alert.status, alert.date_cancelled = ProductAlert.CANCELLED, timezone.now()
        alert.save(update_fields=["status", "date_cancelled"])
    return alert


def product_alerts_send(*, product_ids: Iterable[int] | None = None, batch_size: int | None = None) -> int:
    """Close up to `batch_size` (default PRODUCT_ALERT_BATCH_SIZE) active alerts whose product is back in
    stock (of `product_ids`, or any) and write one mail per alert to the outbox in the same transaction.
    Returns how many. Safe to run twice or concurrently: each alert is locked, re-checked, closed once."""
    limit = batch_size or settings.PRODUCT_ALERT_BATCH_SIZE
    ids = selectors.product_alert_ids_due(limit=limit, product_ids=product_ids)
    if not ids:
        return 0
    base_url = served_base_url()
    sent = 0
    with transaction.atomic():
        locked = ProductAlert.objects.select_for_update(skip_locked=True).filter(pk__in=ids, status=ProductAlert.ACTIVE)
        now = timezone.now()
        for alert in locked.order_by("pk"):
            alert.status, alert.date_closed = ProductAlert.CLOSED, now
            alert.save(update_fields=["status", "date_closed"])
            outbox_message_add(
                topic=ALERT_MAIL_TOPIC, payload={"alert_id": alert.pk, "base_url": base_url},
                dedupe_key=f"{ALERT_MAIL_TOPIC}:{alert.pk}",
            )  # fmt: skip
            sent += 1
    return sent


def _send(*, subject_template: str, body_template: str, context: dict, to: str, headers: dict) -> None:
    subject = render_to_string(subject_template, context).strip()
    body = render_to_string(body_template, context)
    EmailMultiAlternatives(subject, body, settings.OSCAR_FROM_EMAIL, [to], headers=headers).send(fail_silently=False)


def product_alert_mail_send(*, alert_id: int, base_url: str = "") -> bool:
    """Mail "it's back" for a closed alert, with the product link and the unsubscribe link. Returns
    False when there is nobody to mail (alert gone, no address). Raises on a failed send (the outbox
    retries)."""
    alert = ProductAlert.objects.select_related("product", "user").filter(pk=alert_id).first()
    email = alert.get_email_address() if alert is not None else ""
    if not email:
        return False
    base_url = (base_url or served_base_url()).rstrip("/")
    context = {
        "product_title": alert.product.get_title(),
        "product_url": base_url + alert.product.get_absolute_url(),
        "unsubscribe_url": unsubscribe_url(email=email, base_url=base_url),
        "shop_name": settings.OSCAR_SHOP_NAME,
    }
    _send(
        subject_template="emails/product_alert_subject.txt", body_template="emails/product_alert_body.txt",
        context=context, to=email, headers=unsubscribe_headers(email=email, base_url=base_url),
    )  # fmt: skip
    return True


def product_alert_confirmation_send(*, alert_id: int, base_url: str = "") -> bool:
    """Mail a guest the link that confirms their alert (and one that cancels it). False when the alert is
    gone or no longer waits for confirmation."""
    alert = ProductAlert.objects.select_related("product").filter(pk=alert_id).first()
    if alert is None or alert.status != ProductAlert.UNCONFIRMED or not alert.email:
        return False
    base_url = (base_url or served_base_url()).rstrip("/")
    context = {
        "product_title": alert.product.get_title(),
        "product_url": base_url + alert.product.get_absolute_url(),
        "confirm_url": base_url + reverse("product-alert-confirm", args=[alert.key]),
        "cancel_url": base_url + reverse("product-alert-cancel", args=[alert.key]),
        "shop_name": settings.OSCAR_SHOP_NAME,
    }
    _send(
        subject_template="emails/product_alert_confirm_subject.txt",
        body_template="emails/product_alert_confirm_body.txt", context=context, to=alert.email, headers={},
    )  # fmt: skip
    return True
