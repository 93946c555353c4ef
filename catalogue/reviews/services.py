"""Writes on reviews. The product's `rating` (average approved score) and `reviews_count` (approved
reviews) change only here, in the same transaction as the review, so they are never out of step."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Avg, Count
from oscar.core.loading import get_model
from rest_framework import status

from apibase.errors import ApiError

from .selectors import REASONS, review_refusal

Product = get_model("catalogue", "Product")
ProductReview = get_model("reviews", "ProductReview")


class ReviewNotAllowed(ApiError):
    """403 with the reason as code: authentication_required, not_purchased or already_reviewed."""

    status_code = status.HTTP_403_FORBIDDEN
    default_code = "review_not_allowed"
    default_detail = "You cannot review this product."

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(detail=REASONS[reason], code=reason)


def product_rating_refresh(*, product_id: int) -> None:
    """Recount a product's approved reviews and their average score. Call inside the transaction
    that changed a review; locks the product row so concurrent moderations serialise."""
    product = Product.objects.select_for_update().get(pk=product_id)
    totals = ProductReview.objects.filter(product_id=product_id, status=ProductReview.APPROVED).aggregate(
        average=Avg("score"), count=Count("id")
    )
    product.rating = float(totals["average"]) if totals["count"] else None
    product.reviews_count = totals["count"]
    product.save(update_fields=["rating", "reviews_count"])


@transaction.atomic
def review_create(*, product, user, score: int, title: str, body: str) -> ProductReview:
    """A purchaser's review, waiting for moderation (or approved when moderation is off).

    Raises ReviewNotAllowed if the user is anonymous, has not bought the product, or reviewed it."""
    reason = review_refusal(product=product, user=user)
    if reason:
        raise ReviewNotAllowed(reason)
    review = ProductReview(product=product, user=user, score=score, title=title.strip(), body=body.strip())
    review.full_clean()
    review.save()
    product_rating_refresh(product_id=product.pk)
    return review


def _set_status(review_ids, new_status: int) -> int:
    with transaction.atomic():
        reviews = list(ProductReview.objects.select_for_update().filter(pk__in=list(review_ids)))
        changed = [review for review in reviews if review.status != new_status]
        for review in changed:
            review.status = new_status
            review.save(update_fields=["status"])
        for product_id in sorted({review.product_id for review in changed if review.product_id}):
            product_rating_refresh(product_id=product_id)
    return len(changed)


def reviews_approve(*, review_ids) -> int:
    """Approve reviews (moderation); returns how many changed. Ratings follow."""
    return _set_status(review_ids, ProductReview.APPROVED)


def reviews_reject(*, review_ids) -> int:
    """Reject reviews (moderation); returns how many changed. Ratings follow."""
    return _set_status(review_ids, ProductReview.REJECTED)


@transaction.atomic
def reviews_delete(*, review_ids) -> int:
    """Remove reviews for good; the products' ratings follow."""
    reviews = list(ProductReview.objects.select_for_update().filter(pk__in=list(review_ids)))
    product_ids = sorted({review.product_id for review in reviews if review.product_id})
    for review in reviews:
        review.delete()
    for product_id in product_ids:
        product_rating_refresh(product_id=product_id)
    return len(reviews)


@transaction.atomic
def review_update(*, review, fields: list[str]) -> ProductReview:
    """Save a staff edit of a review (score, status, text) and refresh the product's rating."""
    review.full_clean()
    review.save(update_fields=fields or None)
    if review.product_id:
        product_rating_refresh(product_id=review.product_id)
    return review
