""" "Customers also bought" and "recently viewed": reads for the product page and the API.

Also bought: the top-level products (a variant counts for its parent) that appear most often in
the orders that contain this product or one of its variants, most orders first; when there are not
enough, the newest products of the same categories fill the list.

Recently viewed: Oscar's history cookie (`oscar_history`), read and written here only: Oscar's own
receiver, which writes it on `product_viewed`, is disconnected (`catalogue.catalogue.receivers`); it
failed with a 500 on a cookie nested too deep. A shopper's browsing writes no session (ADR 58).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
Line = get_model("order", "Line")

ALSO_BOUGHT = "also_bought"
SAME_CATEGORY = "same_category"
RECENTLY_VIEWED_MAX = 8  # shown on the product page (the cookie keeps OSCAR_RECENTLY_VIEWED_PRODUCTS)
HISTORY_COOKIE_MAX_CHARS = 4096  # what a browser keeps of one cookie
MAX_ID = 2**63 - 1


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


def recently_viewed_remember(*, request, response, product_id: int) -> None:
    """Put a product first in the shopper's history cookie (Oscar's: `OSCAR_RECENTLY_VIEWED_COOKIE_*`,
    a JSON list of ids, oldest first, at most `OSCAR_RECENTLY_VIEWED_PRODUCTS`)."""
    ids = [product_id, *(pk for pk in _history(request) if pk != product_id)]
    response.set_cookie(
        settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME,
        json.dumps(ids[: settings.OSCAR_RECENTLY_VIEWED_PRODUCTS][::-1]),
        max_age=settings.OSCAR_RECENTLY_VIEWED_COOKIE_LIFETIME,
        secure=settings.OSCAR_RECENTLY_VIEWED_COOKIE_SECURE,
        httponly=True,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )


def recently_viewed_ids(*, request, exclude_id: int | None = None) -> list[int]:
    """The ids of the shopper's recently viewed products (browsable or not), most recent first, at most
    RECENTLY_VIEWED_MAX."""
    return [pk for pk in _history(request) if pk != exclude_id][:RECENTLY_VIEWED_MAX]


def _history(request) -> list[int]:
    """The history cookie's product ids, most recent first. The cookie is the shopper's to change:
    anything that is not a list of ids (deep nesting, text, floats, negative or huge numbers, more than
    a cookie holds) is dropped, never an error."""
    raw = request.COOKIES.get(settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME, "")
    if not raw.startswith("[") or len(raw) > HISTORY_COOKIE_MAX_CHARS:
        return []
    try:
        values = json.loads(raw)
    except (ValueError, RecursionError):
        return []
    ids: list[int] = []  # no more than are kept: a cookie of 2,000 ids costs no more than one of 20
    for value in reversed(values if isinstance(values, list) else []):
        if type(value) is int and 0 < value <= MAX_ID and value not in ids:
            ids.append(value)
            if len(ids) == settings.OSCAR_RECENTLY_VIEWED_PRODUCTS:
                break
    return ids
