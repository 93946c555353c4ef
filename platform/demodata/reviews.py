"""Demo reviews: a few dozen approved reviews by customers who received what they review (ADR 22:
purchasers only, once per shopper and product), so product ratings show in the catalogue.

Written through `catalogue.reviews.services` (`review_create` refuses a shopper who did not buy the
product; `reviews_approve` keeps each product's rating and count), then dated a few days after the order.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.reviews.services import review_create, reviews_approve
from checkout.order import statuses as st
from dataexchange.search_index import indexing_deferred, reindex

ProductReview = get_model("reviews", "ProductReview")
Line = get_model("order", "Line")

REVIEWS = 40
SCORE_WEIGHTS = {5: 46, 4: 30, 3: 12, 2: 7, 1: 5}
TEXTS = {
    5: [("Exactly as pictured", "Lovely quality and it arrived quickly. I would buy it again."),
        ("Worth every penny", "Well made, feels like it will last for years."),
        ("Brilliant", "Better than I expected from the photos. Already ordered another as a gift.")],
    4: [("Very good", "Good quality and a nice colour; delivery took a day longer than promised."),
        ("Happy with it", "Does what it should and looks good. Sizing is a touch generous.")],
    3: [("Fine", "Decent, but the colour is a little darker than on screen."),
        ("OK for the price", "Nothing wrong with it, nothing special either.")],
    2: [("Not for me", "The material felt thinner than I hoped. Returned it.")],
    1: [("Disappointed", "Arrived with a scuff on the side; customer service sorted a refund.")],
}  # fmt: skip


def reviews_build(*, customers: list, rng: random.Random) -> int:
    """Reviews by the demo customers of top-level products from their delivered orders, skipping any
    (shopper, product) already reviewed; returns how many were written."""
    if not customers:
        return 0
    lines = (
        Line.objects.filter(order__user__in=customers, order__status=st.DELIVERED, product__isnull=False)
        .select_related("product__parent", "order")
        .order_by("order__date_placed", "pk")
    )
    purchases: dict[tuple[int, int], tuple] = {}
    for line in lines:
        product = line.product.parent if line.product.parent_id else line.product
        purchases.setdefault((line.order.user_id, product.pk), (line.order, product))
    reviewed = set(ProductReview.objects.filter(user__in=customers).values_list("user_id", "product_id"))
    candidates = [key for key in purchases if key not in reviewed]
    if reviewed or not candidates:  # written once; a later run leaves them as staff moderated them
        return 0
    users = {customer.pk: customer for customer in customers}
    chosen = rng.sample(candidates, k=min(REVIEWS, len(candidates)))
    created = []
    # each rating update saves its product, which would re-index it for search one by one: deferred, then
    # indexed in bulk (the products' indexed text did not change, but the index stays what a save leaves)
    with indexing_deferred() as pending:
        for user_id, product_id in chosen:
            order, product = purchases[user_id, product_id]
            score = rng.choices(list(SCORE_WEIGHTS), weights=list(SCORE_WEIGHTS.values()))[0]
            title, body = rng.choice(TEXTS[score])
            review = review_create(product=product, user=users[user_id], score=score, title=title, body=body)
            written = order.date_placed + dt.timedelta(days=rng.randint(4, 12), hours=rng.randint(0, 12))
            created.append((review.pk, min(written, timezone.now())))
        reviews_approve(review_ids=[pk for pk, _ in created])
    transaction.on_commit(lambda: reindex(pending))
    for pk, written in created:  # dated after the delivery, as a shopper would write them
        ProductReview.objects.filter(pk=pk).update(date_created=written)
    return len(created)
