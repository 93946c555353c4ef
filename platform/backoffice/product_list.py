"""Reads for the back office's product list: one row per product, standalone or parent (a variant is
shown through its parent), with what a merchandiser scans for.

`product_list_queryset` leaves the variants out, adds the catalogue's staff figures
(`catalogue.selectors.product_stock_and_prices`: price range, free stock, stock state, variant count)
in the one list query and prefetches each primary image, so a page of 3 or 100 products costs the same
queries (tests/platform/backoffice/test_product_list.py).
"""

from __future__ import annotations

from django.db.models import QuerySet
from oscar.core.loading import get_model

from catalogue.selectors import (
    STAFF_LIST_SQUARE_GEOMETRY,
    STOCK_IN,
    STOCK_LOW,
    STOCK_OUT,
    Thumbnail,
    primary_image_prefetch,
    product_stock_and_prices,
    product_thumbnail,
)

Product = get_model("catalogue", "Product")

#: The list's thumbnails: cropped to a square, shown at half size (sharp on high-density screens).
THUMBNAIL_GEOMETRY = STAFF_LIST_SQUARE_GEOMETRY
THUMBNAIL_SIDE = 48


def product_list_queryset(*, products: QuerySet | None = None) -> QuerySet:
    """`products` (default: all) without variants, with the staff figures and the primary image."""
    products = Product.objects.all() if products is None else products
    return product_stock_and_prices(products=products.exclude(structure=Product.CHILD)).prefetch_related(
        primary_image_prefetch()
    )


def product_list_filter_stock(*, products: QuerySet, state: str | None) -> QuerySet:
    """Products of `product_list_queryset` in one stock state (`in`, `low`, `out`); all for another value."""
    if state not in (STOCK_IN, STOCK_LOW, STOCK_OUT):
        return products
    return products.filter(stock_state=state)


def product_list_thumbnail(product) -> Thumbnail:
    return product_thumbnail(product=product, geometry=THUMBNAIL_GEOMETRY)
