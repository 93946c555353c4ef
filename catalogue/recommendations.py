""" "Customers also bought" and "recently viewed": reads for the product page and the API.

Also bought: the top-level products (a variant counts for its parent) that appear most often in
the orders that contain this product or one of its variants, most orders first; when there are not
enough, the newest products of the same categories fill the list.
"""

from __future__ import annotations

from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from .selectors import listing_prefetches

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
Line = get_model("order", "Line")

ALSO_BOUGHT = "also_bought"
SAME_CATEGORY = "same_category"
RECENTLY_VIEWED_SESSION_KEY = "hypex_recently_viewed"
RECENTLY_VIEWED_MAX = 8


def product_recommendations(*, product, limit: int = 8) -> list[tuple[object, str]]:
    """Up to `limit` (product, reason) pairs, reason being ALSO_BOUGHT or SAME_CATEGORY, in two queries:
    the ranking of what was bought with it, then the browsable products among the ranked ones and those
    sharing a category with it, the ranked first in their order, then the newest of the others (three
    queries before: the ranked products and the category fillers were read apart). One query with the
    counts per candidate was measured slower on PostgreSQL: a subquery per candidate, or a join of
    every line of the candidates (ADR 58)."""
    orders = Line.objects.filter(Q(product_id=product.pk) | Q(product__parent_id=product.pk)).values("order_id")
    ranked = (
        Line.objects.filter(order_id__in=orders, product__isnull=False)
        .annotate(top_id=Coalesce("product__parent_id", "product_id"))
        .exclude(top_id=product.pk)
        .values("top_id")
        .annotate(orders=Count("order_id", distinct=True))
        .order_by("-orders", "top_id")
    )
    place = {row["top_id"]: index for index, row in enumerate(ranked[: limit * 3])}
    in_its_categories = ProductCategory.objects.filter(
        category_id__in=ProductCategory.objects.filter(product_id=product.pk).values("category_id")
    ).values("product_id")
    # (No CASE without a ranked product: a constant there would read as a column position.)
    ranked_first = [Case(*(When(pk=pk, then=Value(i)) for pk, i in place.items()), default=len(place))] if place else []
    picks = (
        Product.objects.browsable()
        .select_related("product_class")  # the rest: `product_cards`
        .filter(Q(pk__in=list(place)) | Q(pk__in=in_its_categories))
        .exclude(pk=product.pk)
        .order_by(*ranked_first, F("date_created").desc(), F("id").desc())[:limit]
    )
    return [(item, ALSO_BOUGHT if item.pk in place else SAME_CATEGORY) for item in picks]


def recently_viewed_remember(*, session, product_id: int) -> None:
    """Put a product first in the session's recently viewed list (at most RECENTLY_VIEWED_MAX)."""
    ids = [pk for pk in session.get(RECENTLY_VIEWED_SESSION_KEY, []) if pk != product_id]
    session[RECENTLY_VIEWED_SESSION_KEY] = [product_id, *ids][:RECENTLY_VIEWED_MAX]


def recently_viewed_ids(*, session, exclude_id: int | None = None) -> list[int]:
    """The ids of the session's recently viewed products (browsable or not), most recent first."""
    return [pk for pk in session.get(RECENTLY_VIEWED_SESSION_KEY, []) if pk != exclude_id]


def recently_viewed_products(*, session, exclude_id: int | None = None) -> list:
    """The session's recently viewed products still browsable, most recent first."""
    ids = recently_viewed_ids(session=session, exclude_id=exclude_id)
    if not ids:
        return []
    by_id = Product.objects.browsable().prefetch_related(*listing_prefetches()).in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
