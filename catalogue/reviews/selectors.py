"""Reads on reviews: who may review a product, and the reviews shoppers see."""

from __future__ import annotations

from django.db.models import QuerySet
from oscar.core.loading import get_model

from checkout.order import statuses as order_statuses

ProductReview = get_model("reviews", "ProductReview")
Line = get_model("order", "Line")


AUTHENTICATION_REQUIRED = "authentication_required"
NOT_PURCHASED = "not_purchased"
ALREADY_REVIEWED = "already_reviewed"

REASONS = {
    AUTHENTICATION_REQUIRED: "Sign in to review this product.",
    NOT_PURCHASED: "Only customers who bought this product can review it.",
    ALREADY_REVIEWED: "You have already reviewed this product.",
}


def product_purchased_by(*, product, user) -> bool:
    """True if `user` has an order (paid, not cancelled) with this product or one of its variants."""
    lines = Line.objects.filter(order__user=user).exclude(order__status__in=order_statuses.NOT_PURCHASED)
    return lines.filter(product_id=product.pk).exists() or lines.filter(product__parent_id=product.pk).exists()


def review_refusal(*, product, user) -> str | None:
    """Why `user` may not review `product` (a code of REASONS), or None when they may.

    Reviews are for top-level products (a parent covers its variants), one per shopper."""
    if user is None or not user.is_authenticated:
        return AUTHENTICATION_REQUIRED
    if ProductReview.objects.filter(product=product, user=user).exists():
        return ALREADY_REVIEWED
    if not product_purchased_by(product=product, user=user):
        return NOT_PURCHASED
    return None


def reviews_approved(*, product) -> QuerySet:
    """The reviews shoppers see, newest first."""
    return (
        ProductReview.objects.approved().filter(product=product).select_related("user").order_by("-date_created", "-id")
    )
