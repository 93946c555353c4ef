"""Reads of back-in-stock alerts (Oscar's `customer.ProductAlert`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

ProductAlert = get_model("customer", "ProductAlert")
StockRecord = get_model("partner", "StockRecord")

OPEN_STATUSES = (ProductAlert.UNCONFIRMED, ProductAlert.ACTIVE)


def products_in_stock(*, product_ids: Iterable[int]) -> set[int]:
    """Which of these products can be bought again: a stock record of the product (or, for a parent,
    of one of its variants) that tracks no stock or has free units."""
    ids = set(product_ids)
    if not ids:
        return set()
    rows = (
        StockRecord.objects.filter(Q(product_id__in=ids) | Q(product__parent_id__in=ids))
        .annotate(free=F("num_in_stock") - Coalesce(F("num_allocated"), 0))
        .filter(Q(num_in_stock__isnull=True) | Q(free__gt=0))
        .values_list("product_id", "product__parent_id")
    )
    found = set()
    for product_id, parent_id in rows:
        found.update(pk for pk in (product_id, parent_id) if pk in ids)
    return found


def product_alert_open(*, product, user=None, email: str = ""):
    """The unconfirmed or active alert of this user (or guest email) for `product`, or None."""
    alerts = ProductAlert.objects.filter(product=product, status__in=OPEN_STATUSES)
    if user is not None and user.is_authenticated:
        return alerts.filter(Q(user=user) | Q(user=None, email__iexact=user.email or "-")).first()
    return alerts.filter(user=None, email__iexact=email.strip()).first()


def product_alert_ids_due(*, limit: int, product_ids: Iterable[int] | None = None) -> list[int]:
    """Active alerts whose product is in stock again, oldest first, at most `limit`."""
    alerts = ProductAlert.objects.filter(status=ProductAlert.ACTIVE)
    if product_ids is not None:
        alerts = alerts.filter(product_id__in=list(product_ids))
    waiting = set(alerts.values_list("product_id", flat=True).distinct())
    back = products_in_stock(product_ids=waiting)
    if not back:
        return []
    return list(alerts.filter(product_id__in=back).order_by("pk").values_list("pk", flat=True)[:limit])


def product_alert_offer(*, product_id: int, user, offered: bool, has_variant_picker: bool = False) -> dict:
    """What the product page shows about "Email me when it's back" for `product_id` (the chosen variant,
    or the page's product): `subscribed` (this signed-in shopper already waits for it) and `form`:
    "show" when it is sold out and they do not wait yet; "hidden" when it can be bought but a variant
    picker may choose a sold-out variant (the page's script shows the form then); None otherwise."""
    subscribed = bool(
        offered
        and user.is_authenticated
        and ProductAlert.objects.filter(product_id=product_id, user=user, status__in=OPEN_STATUSES).exists()
    )
    if offered and not subscribed:
        form = "show"
    else:
        form = "hidden" if has_variant_picker else None
    return {"subscribed": subscribed, "form": form}
