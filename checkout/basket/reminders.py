"""Abandoned baskets (ADR 0046): a shopper we can email (signed in, or a guest who gave an email at the
checkout's first step) who leaves a basket with items gets one reminder, the merchant's delay after
their last change, with a link that restores the basket on any device and the unsubscribe link.

- `basket_contact_set`: remember a guest's checkout email against their basket;
- `basket_reminders_send`: run by the periodic task; writes one `BasketReminder` and one outbox mail per
  basket due, in one transaction per basket; baskets ordered, emptied or of opted-out shoppers are skipped;
- `basket_reminder_mail_send`: the outbox handler's work; checks the opt-out again at sending time;
- `basket_restore`: the link: the reminded basket's lines are added to the basket of the browser that
  opens it, through `basket_line_add` (the same stock rules as adding by hand), and remembered as
  restored, so an order of that basket counts as recovered on the dashboard.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from accounts.unsubscribe import email_normalise, marketing_opted_out, unsubscribe_headers, unsubscribe_url
from apibase.money import money_display
from ops.site_url import served_base_url
from sideeffects.services import outbox_message_add

from . import errors, selectors
from .services import basket_line_add

Basket = get_model("basket", "Basket")
BasketContact = get_model("basket", "BasketContact")
BasketReminder = get_model("basket", "BasketReminder")

REMINDER_MAIL_TOPIC = "basket.reminder_mail"
_RESTORE_SALT = "basket.restore"


class RestoreLinkInvalid(Exception):
    """The restore link was not made here, or it has expired."""


def basket_contact_set(*, basket, email: str) -> None:
    """Remember the email a guest gave at checkout against their (saved) basket."""
    email = email_normalise(email)
    if basket.pk and email:
        BasketContact.objects.update_or_create(basket_id=basket.pk, defaults={"email": email})


def basket_reminders_send(*, now=None, batch_size: int | None = None) -> int:
    """Schedule the reminder of each basket due (at most `batch_size`, default BASKET_REMINDER_BATCH_SIZE);
    returns how many. Off when the merchant's delay is 0 or empty. Safe to run twice or concurrently:
    the basket's row lock and its one `BasketReminder` make each basket reminded once."""
    delay = selectors.basket_reminder_delay_hours()
    if not delay:
        return 0
    now = now or timezone.now()
    limit = batch_size or settings.BASKET_REMINDER_BATCH_SIZE
    base_url = served_base_url()
    sent = 0
    for basket_id in selectors.basket_ids_to_remind(idle_since=now - timedelta(hours=delay), limit=limit):
        with transaction.atomic():
            basket = Basket.objects.select_for_update().filter(pk=basket_id, status=Basket.OPEN).first()
            if basket is None or BasketReminder.objects.filter(basket_id=basket_id).exists():
                continue
            email = _recipient(basket)
            if not email or not basket.lines.exists() or marketing_opted_out(email=email):
                continue
            reminder = BasketReminder.objects.create(basket=basket, email=email)
            outbox_message_add(
                topic=REMINDER_MAIL_TOPIC, payload={"reminder_id": reminder.pk, "base_url": base_url},
                dedupe_key=f"{REMINDER_MAIL_TOPIC}:{reminder.pk}",
            )  # fmt: skip
            sent += 1
    return sent


def _recipient(basket) -> str:
    if basket.owner_id:
        return email_normalise(basket.owner.email or "")
    contact = BasketContact.objects.filter(basket_id=basket.pk).first()
    return contact.email if contact else ""


def basket_restore_token(*, reminder_id: int) -> str:
    return signing.dumps(reminder_id, salt=_RESTORE_SALT)


def basket_restore_path(*, reminder_id: int) -> str:
    return reverse("basket:restore", args=[basket_restore_token(reminder_id=reminder_id)])


def basket_reminder_mail_send(*, reminder_id: int, base_url: str = "") -> bool:
    """Mail the reminder: the basket's lines, the restore link and the unsubscribe link. Returns False
    (and sends nothing) when the basket was ordered or emptied meanwhile or its shopper opted out.
    Raises on a failed send (the outbox retries)."""
    reminder = BasketReminder.objects.select_related("basket").filter(pk=reminder_id).first()
    if reminder is None or reminder.basket.status != Basket.OPEN or marketing_opted_out(email=reminder.email):
        return False
    lines = list(reminder.basket.lines.select_related("product").order_by("pk"))
    if not lines:
        return False
    base_url = (base_url or served_base_url()).rstrip("/")
    context = {
        "lines": [
            {
                "title": line.product.get_title() if line.product else "",
                "quantity": line.quantity,
                "price": money_display(line.price_incl_tax or line.price_excl_tax, line.price_currency),
            }
            for line in lines
        ],  # fmt: skip
        "restore_url": base_url + basket_restore_path(reminder_id=reminder.pk),
        "unsubscribe_url": unsubscribe_url(email=reminder.email, base_url=base_url),
        "shop_name": settings.OSCAR_SHOP_NAME,
        "link_days": settings.BASKET_RESTORE_LINK_DAYS,
    }
    subject = render_to_string("emails/basket_reminder_subject.txt", context).strip()
    body = render_to_string("emails/basket_reminder_body.txt", context)
    headers = unsubscribe_headers(email=reminder.email, base_url=base_url)
    EmailMultiAlternatives(subject, body, settings.OSCAR_FROM_EMAIL, [reminder.email], headers=headers).send(
        fail_silently=False
    )
    return True


def basket_restore(*, token: str, basket) -> list[str]:
    """Fill `basket` (the opening browser's, strategy set; saved when something is added) with the lines
    of the basket a reminder's link names, as far as stock allows: a line the basket already holds is
    raised to the reminded quantity, not doubled. Returns the titles that could not be added.
    Raises RestoreLinkInvalid for a forged or expired link, errors.BasketError when that basket was
    ordered meanwhile."""
    try:
        reminder_id = signing.loads(
            token, salt=_RESTORE_SALT, max_age=timedelta(days=settings.BASKET_RESTORE_LINK_DAYS)
        )
    except signing.BadSignature as exc:
        raise RestoreLinkInvalid() from exc
    reminder = BasketReminder.objects.select_related("basket").filter(pk=reminder_id).first()
    if reminder is None:
        raise RestoreLinkInvalid()
    source = reminder.basket
    if source.status != Basket.OPEN:
        raise errors.BasketError("This basket has already been ordered.", code="basket_ordered")
    left_out: list[str] = []
    if basket.pk != source.pk:
        for line in source.lines.select_related("product").prefetch_related("attributes__option").order_by("pk"):
            left_out += _line_copy(line=line, basket=basket)
    with transaction.atomic():
        BasketReminder.objects.filter(pk=reminder.pk, date_restored=None).update(date_restored=timezone.now())
        if basket.pk:
            BasketReminder.objects.filter(pk=reminder.pk).update(restored_into_id=basket.pk)
    return left_out


def _line_copy(*, line, basket) -> list[str]:
    title = line.product.get_title() if line.product else ""
    if line.product is None:
        return [title]
    attributes = [a for a in line.attributes.all() if a.option_id]
    options = {a.option.code: a.value for a in attributes}
    have = 0
    if basket.pk:
        option_list = [{"option": a.option, "value": a.value} for a in attributes]
        record = basket.get_stock_info(line.product, option_list).stockrecord
        have = basket.line_quantity(line.product, record, option_list) if record is not None else 0
    wanted = line.quantity - have
    if wanted <= 0:
        return []
    try:
        basket_line_add(basket=basket, product=line.product, quantity=wanted, options=options)
    except errors.InsufficientStock:
        available = getattr(basket.get_stock_info(line.product, []).availability, "num_available", 0) or 0
        try:
            basket_line_add(basket=basket, product=line.product, quantity=max(available - have, 1), options=options)
        except (errors.BasketError, errors.BasketNotEditable):
            return [title]
    except (errors.BasketError, errors.BasketNotEditable):
        return [title]
    return []
