"""Oscar's analytics counters for a placed order (`ProductRecord.num_purchases`, the customer's
`UserRecord`), written in a number of queries that does not grow with the order's lines.

Oscar's own receiver (`analytics.receivers.receive_order_placed`) updates one product record per line,
creating it when missing (one or two queries a line, and a lost count when two first purchases race);
`order.receivers` connects these instead (ADR 0010, "Checkout queries"): an upsert each. The counters
and their meaning are Oscar's.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from oscar.core.loading import get_model

ProductRecord = get_model("analytics", "ProductRecord")
UserRecord = get_model("analytics", "UserRecord")


def order_products_record(*, order) -> None:
    """Add each line's quantity to its product's `num_purchases`, creating the records of products
    bought for the first time: one upsert (`INSERT ... ON CONFLICT (product_id) DO UPDATE`, PostgreSQL
    and SQLite alike) for all the lines, atomic per row, so concurrent orders lose no count."""
    quantities: dict[int, int] = defaultdict(int)
    for line in order.lines.all():
        if line.product_id:
            quantities[line.product_id] += line.quantity
    if not quantities:
        return
    table = connection.ops.quote_name(ProductRecord._meta.db_table)
    rows = ", ".join(["(%s, 0, 0, %s, 0)"] * len(quantities))
    params = [value for product_id, units in sorted(quantities.items()) for value in (product_id, units)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (product_id, num_views, num_basket_additions, num_purchases, score) "  # noqa: S608
            f"VALUES {rows} ON CONFLICT (product_id) DO UPDATE "
            f"SET num_purchases = {table}.num_purchases + excluded.num_purchases",
            params,
        )


def order_customer_record(*, order, user) -> None:
    """Oscar's `UserRecord` totals for the customer (orders, lines, items, money spent, last order),
    in one upsert."""
    table = connection.ops.quote_name(UserRecord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, num_product_views, num_basket_additions, num_orders, "  # noqa: S608
            "num_order_lines, num_order_items, total_spent, date_last_order) "
            "VALUES (%s, 0, 0, 1, %s, %s, %s, %s) ON CONFLICT (user_id) DO UPDATE SET "
            f"num_orders = {table}.num_orders + 1, "
            f"num_order_lines = {table}.num_order_lines + excluded.num_order_lines, "
            f"num_order_items = {table}.num_order_items + excluded.num_order_items, "
            f"total_spent = {table}.total_spent + excluded.total_spent, "
            "date_last_order = excluded.date_last_order",
            [
                user.pk,
                order.num_lines,
                order.num_items,
                connection.ops.adapt_decimalfield_value(order.total_incl_tax, 12, 2),
                connection.ops.adapt_datetimefield_value(order.date_placed),
            ],
        )


def product_basket_addition_record(*, product, user=None) -> None:
    """Oscar's counters for an addition to a basket (`ProductRecord.num_basket_additions`, and the
    signed-in customer's `UserRecord.num_basket_additions`): one upsert each."""
    products = connection.ops.quote_name(ProductRecord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {products} (product_id, num_views, num_basket_additions, num_purchases, score) "  # noqa: S608
            f"VALUES (%s, 0, 1, 0, 0) ON CONFLICT (product_id) DO UPDATE "
            f"SET num_basket_additions = {products}.num_basket_additions + 1",
            [product.pk],
        )
        if user is None or not user.is_authenticated:
            return
        users = connection.ops.quote_name(UserRecord._meta.db_table)
        cursor.execute(
            f"INSERT INTO {users} (user_id, num_product_views, num_basket_additions, num_orders, "  # noqa: S608
            "num_order_lines, num_order_items, total_spent, date_last_order) "
            "VALUES (%s, 0, 1, 0, 0, 0, 0, NULL) ON CONFLICT (user_id) DO UPDATE "
            f"SET num_basket_additions = {users}.num_basket_additions + 1",
            [user.pk],
        )
