"""Reads on baskets: which basket a request means, and the basket as pages and the API show it."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Max, Value
from django.db.models.functions import Coalesce, Greatest, Lower, NullIf
from oscar.core.loading import get_class, get_model

from accounts.models import MarketingOptOut
from apibase.money import Money

from .tokens import basket_from_token, basket_token, request_basket_token

Basket = get_model("basket", "Basket")
BasketReminder = get_model("basket", "BasketReminder")
BasketReminderSettings = get_model("basket", "BasketReminderSettings")
Selector = get_class("partner.strategy", "Selector")


def basket_for_request(*, request, create: bool = False):
    """The open basket of this client, with its strategy set.

    Signed in: the account's open basket (the same on every device). Anonymous: the basket named by
    the `X-Basket-Token` header or Oscar's basket cookie. Without one, an unsaved empty basket, or a
    new saved one when `create` is true.
    """
    user = request.user
    basket = None
    if user.is_authenticated:
        basket = Basket.open.filter(owner=user).prefetch_related("vouchers").order_by("-pk").first()
        if basket is None and create:
            basket = Basket.open.create(owner=user)
    else:
        token = request_basket_token(request)
        basket = basket_from_token(token) if token else None
        if basket is None and create:
            basket = Basket.objects.create()
    if basket is None:
        basket = Basket()
    basket.strategy = Selector().strategy(request=request, user=user)
    return basket


def _line_view(line, currency) -> dict:
    info = line.purchase_info
    availability = info.availability
    warning = line.get_warning() if line.pk else None
    return {
        "id": line.pk,
        "product": line.product_id,
        "title": line.product.get_title(),
        "upc": line.product.upc,
        "sku": line.stockrecord.partner_sku if line.stockrecord else None,
        "quantity": line.quantity,
        "options": [
            {"code": attribute.option.code, "name": attribute.option.name, "value": attribute.value}
            for attribute in line.attributes.all()
        ],
        "unit_price": Money(currency, line.unit_price_excl_tax, line.unit_price_incl_tax),
        "line_price": Money(currency, line.line_price_excl_tax, line.line_price_incl_tax),
        "line_price_incl_discounts": Money(
            currency, line.line_price_excl_tax_incl_discounts, line.line_price_incl_tax_incl_discounts
        ),
        "is_available": availability.is_available_to_buy,
        "availability": str(availability.message),
        "warning": str(warning) if warning else None,
    }


def basket_view(*, basket) -> dict:
    """The basket as the API shows it: lines, each discount with its name, vouchers and totals."""
    currency = basket.currency if basket.pk else None
    lines = [_line_view(line, currency) for line in basket.all_lines()] if basket.pk else []
    discounts = [
        {
            "name": application["name"],
            "description": application["description"] or "",
            "voucher": application["voucher"].code if application["voucher"] else None,
            "amount": application["discount"],
        }
        for application in basket.offer_applications
        if application["discount"] > 0 or application["result"].affects_shipping
    ]
    vouchers = [{"code": voucher.code, "name": voucher.name} for voucher in basket.vouchers.all()] if basket.pk else []
    tax_known = basket.is_tax_known
    return {
        "id": basket.pk,
        "status": basket.status,
        "token": basket_token(basket) if basket.pk and basket.owner_id is None else None,
        "num_items": basket.num_items if basket.pk else 0,
        "lines": lines,
        "discounts": discounts,
        "vouchers": vouchers,
        "total_discount": Money(currency, basket.total_discount, None) if basket.pk else Money(None, Decimal(0), None),
        "total": Money(
            currency,
            basket.total_excl_tax if basket.pk else Decimal("0.00"),
            (basket.total_incl_tax if tax_known else None) if basket.pk else Decimal("0.00"),
        ),
        "is_tax_known": tax_known,
    }


# -- Abandoned baskets (reminders.py, ADR 0046) --


def basket_reminder_delay_hours() -> int:
    """The merchant's reminder delay in hours; 0 when reminders are off."""
    row = BasketReminderSettings.objects.order_by("pk").first()
    if row is None:
        return BasketReminderSettings._meta.get_field("delay_hours").default
    return row.delay_hours or 0


def basket_ids_to_remind(*, idle_since, limit: int) -> list[int]:
    """Open baskets with lines, not changed since `idle_since`, never reminded, whose shopper we can
    email (signed in with an email, or a guest who gave one at checkout) and who did not opt out of
    marketing mail; oldest first, at most `limit`."""
    opted_out = MarketingOptOut.objects.values("email")
    return list(
        Basket.objects.filter(status=Basket.OPEN, reminder__isnull=True)
        .annotate(last_change=Greatest(Max("lines__date_created"), Max("lines__date_updated")))
        .filter(last_change__lte=idle_since)
        .annotate(recipient=Lower(Coalesce(NullIf("owner__email", Value("")), "contact__email")))
        .filter(recipient__isnull=False)
        .exclude(recipient__in=opted_out)
        .order_by("last_change", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def baskets_recovered_count(*, since=None) -> int:
    """Baskets restored from a reminder's link and then ordered (since `since`, when given)."""
    reminders = BasketReminder.objects.filter(restored_into__status=Basket.SUBMITTED)
    if since is not None:
        reminders = reminders.filter(restored_into__date_submitted__gte=since)
    return reminders.values("restored_into").distinct().count()
