"""Product page views, counted outside the request (issue 17, ADR 58).

Oscar counts a view by updating the product's `analytics.ProductRecord.num_views` row inside the request:
a write on every page view, and every viewer of a popular product queues on that one row's lock. Hypex
adds the view to a counter in the cache (a Redis hash, `counter_add`), and a periodic task
(`catalogue.catalogue.tasks.product_views_write`, every minute, calling `product_views_flush`) writes
all the counts at once, in one upsert. Where the cache holds no counters (the embedded default's local
memory) or Redis is away, the view is written at once, as before: no view is dropped for want of Redis.

What can be lost: the counts Redis holds when it dies (at most a minute of views; the counters are
analytics, not money).

Signed-in shoppers' own records (`UserRecord.num_product_views`, a `UserProductView` row) stay in the
request: they are the shopper's history, read back on their account pages.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from oscar.core.loading import get_model

logger = logging.getLogger(__name__)
Product = get_model("catalogue", "Product")
ProductRecord = get_model("analytics", "ProductRecord")
UserRecord = get_model("analytics", "UserRecord")
UserProductView = get_model("analytics", "UserProductView")
VIEWS_KEY = "catalogue:product-views"


def product_view_record(*, product, user=None) -> None:
    """Count a view of `product` (and the signed-in shopper's own records)."""
    counter_add = getattr(cache, "counter_add", None)
    if counter_add is None or not counter_add(VIEWS_KEY, str(product.pk)):
        _views_upsert([(product.pk, 1)])  # the product was just read: it exists
    if user is not None and user.is_authenticated:
        _user_view_record(product=product, user=user)


def product_views_flush() -> int:
    """Write the counted views to the products' records; returns how many views were written."""
    counters_take = getattr(cache, "counters_take", None)
    if counters_take is None:
        return 0
    counts = {int(product_id): views for product_id, views in counters_take(VIEWS_KEY).items()}
    try:
        return product_views_write(counts)
    except DatabaseError:  # the database is away: give the counts back for the next run
        logger.warning("product views: %s views not written, kept for the next run", sum(counts.values()))
        for product_id, views in counts.items():
            cache.counter_add(VIEWS_KEY, str(product_id), views)
        raise


def product_views_write(counts: dict[int, int]) -> int:
    """Add `counts` (product id -> views) to `ProductRecord.num_views`, creating missing records: one
    upsert, atomic per row. Products deleted since their views were counted are left out."""
    if not counts:
        return 0
    with transaction.atomic():
        existing = set(Product.objects.filter(pk__in=list(counts)).values_list("pk", flat=True))
        rows = sorted((product_id, views) for product_id, views in counts.items() if product_id in existing)
        _views_upsert(rows)
    return sum(views for _product_id, views in rows)


def _views_upsert(rows: list[tuple[int, int]]) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(ProductRecord._meta.db_table)
    values = ", ".join(["(%s, %s, 0, 0, 0)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (product_id, num_views, num_basket_additions, num_purchases, score) "  # noqa: S608
            f"VALUES {values} ON CONFLICT (product_id) DO UPDATE "
            f"SET num_views = {table}.num_views + excluded.num_views",
            [value for row in rows for value in row],
        )


def _user_view_record(*, product, user) -> None:
    table = connection.ops.quote_name(UserRecord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, num_product_views, num_basket_additions, num_orders, "  # noqa: S608
            "num_order_lines, num_order_items, total_spent, date_last_order) "
            "VALUES (%s, 1, 0, 0, 0, 0, 0, NULL) ON CONFLICT (user_id) DO UPDATE "
            f"SET num_product_views = {table}.num_product_views + 1",
            [user.pk],
        )
    UserProductView.objects.create(product=product, user=user)
