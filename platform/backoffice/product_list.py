"""Reads for the back office's product list: one row per product, standalone or parent (a variant is
shown through its parent), with what a merchandiser scans for.

`product_list_queryset` annotates each product in the one list query (subqueries, no GROUP BY on the
list) and prefetches its primary image, so a page of 3 or 100 products costs the same queries:

- `price_min`, `price_max`: the lowest and highest stock record price of the product or its variants,
  in the shop's currency (records in other currencies are left out, as on the dashboard);
- `stock_free`: units in stock minus allocated, summed over the stock records of the product or its
  variants (records that track no stock count as none);
- `stock_state`: `out` when no unit is free, else `low` when one of those records is low by the
  dashboard's rule (free units below its `low_stock_threshold`, 5 when it has none; ADR 16), else `in`;
- `variant_count`: how many variants a parent has.

Prices are the stock records' as entered (what staff edit), formatted by `apibase.money`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer

from apibase.money import money_display

from .selectors import stock_free_expression, stock_threshold_expression

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

STOCK_IN, STOCK_LOW, STOCK_OUT = "in", "low", "out"
#: The list's thumbnails: cropped to a square, shown at half size (sharp on high-density screens).
THUMBNAIL_GEOMETRY = "96x96"
THUMBNAIL_SIDE = 48


@dataclass(frozen=True)
class Thumbnail:
    url: str
    is_placeholder: bool


def _family_records() -> QuerySet:
    """Stock records of the outer query's product or of its variants."""
    return StockRecord.objects.filter(Q(product_id=OuterRef("pk")) | Q(product__parent_id=OuterRef("pk"))).order_by()


def _one_value(queryset: QuerySet, aggregate) -> Subquery:
    """`aggregate` over all rows of `queryset`, as a scalar subquery (grouped by a constant: one row)."""
    return Subquery(queryset.annotate(whole=Value(1)).values("whole").annotate(result=aggregate).values("result"))


def product_list_queryset(*, products: QuerySet | None = None, currency: str | None = None) -> QuerySet:
    """`products` (default: all) without variants, annotated as the module says, primary image prefetched."""
    products = Product.objects.all() if products is None else products
    currency = currency or settings.OSCAR_DEFAULT_CURRENCY
    priced = _family_records().filter(price__isnull=False, price_currency=currency)
    low = _family_records().alias(free=stock_free_expression(), threshold=stock_threshold_expression())
    variants = Product.objects.filter(parent_id=OuterRef("pk")).order_by()
    free = _one_value(_family_records().filter(num_in_stock__isnull=False), Sum(stock_free_expression()))
    return (
        products.exclude(structure=Product.CHILD)
        .annotate(
            price_min=_one_value(priced, Min("price")),
            price_max=_one_value(priced, Max("price")),
            price_currency=Value(currency, output_field=CharField()),
            stock_free=Coalesce(free, 0, output_field=IntegerField()),
            stock_low=Exists(low.filter(free__lt=F("threshold"))),
            variant_count=Coalesce(_one_value(variants, Count("pk")), 0, output_field=IntegerField()),
        )
        .annotate(
            stock_state=Case(
                When(stock_free__lte=0, then=Value(STOCK_OUT)),
                When(stock_low=True, then=Value(STOCK_LOW)),
                default=Value(STOCK_IN),
                output_field=CharField(),
            )
        )
        .prefetch_related(
            Prefetch(
                "images", queryset=ProductImage.objects.order_by("display_order", "pk")[:1], to_attr="primary_images"
            )
        )
    )


def product_list_filter_stock(*, products: QuerySet, state: str) -> QuerySet:
    """Products of `product_list_queryset` in one stock state (`in`, `low`, `out`); all for another value."""
    if state not in (STOCK_IN, STOCK_LOW, STOCK_OUT):
        return products
    return products.filter(stock_state=state)


def product_list_price(product) -> str:
    """ "£12.50", a range "£9.00 – £14.00" when the variants (or partners) differ, "" without a price."""
    low, high = product.price_min, product.price_max
    if low is None:
        return ""
    if high is None or high == low:
        return money_display(low, product.price_currency)
    return f"{money_display(low, product.price_currency)} – {money_display(high, product.price_currency)}"


def product_list_thumbnail(product) -> Thumbnail:
    """The primary image cropped to the list's square, or Oscar's placeholder through the same crop."""
    images = getattr(product, "primary_images", None)
    if images is None:  # not from product_list_queryset
        images = list(product.images.order_by("display_order", "pk")[:1])
    source = images[0].original if images else product.get_missing_image().name
    thumbnail = get_thumbnailer().generate_thumbnail(source, size=THUMBNAIL_GEOMETRY, crop="center")
    if not images or not getattr(thumbnail, "url", None):
        if images:  # the image file is missing from storage: show the placeholder instead
            placeholder = product.get_missing_image().name
            thumbnail = get_thumbnailer().generate_thumbnail(placeholder, size=THUMBNAIL_GEOMETRY, crop="center")
        return Thumbnail(url=thumbnail.url, is_placeholder=True)
    return Thumbnail(url=thumbnail.url, is_placeholder=False)
