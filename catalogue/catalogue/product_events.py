"""Side reaction: tell the merchant's apps that a product changed (`product.updated`, ADR 0048).

Products change in many places (the product screen and its inlines, the staff API, imports, the
variant grid), and one save often touches the product several times (the product, then its attribute
values, then its categories). So the receivers only note the product's id; once the transaction
commits, one `product.updated` per product is published, with the product as it was committed. A
save outside a transaction publishes at once. Bulk writes that send no signal (`QuerySet.update()`:
publish/unpublish, bulk price changes) call `product_updated_collect` themselves.

Publishing after commit means an event can be lost if the process dies between the commit and the
publish: acceptable for a notification whose receiver reads the product again anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_save
from oscar.core.loading import get_model

from eventhooks.events import PRODUCT_UPDATED
from eventhooks.selectors import webhook_endpoints_subscribed
from eventhooks.services import webhook_event_publish

logger = logging.getLogger(__name__)
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")


def product_webhook_data(*, product) -> dict:
    return {
        "id": product.pk,
        "parent_id": product.parent_id,
        "structure": product.structure,
        "upc": product.upc or "",
        "title": product.get_title(),
        "slug": product.slug,
        "is_public": product.is_public,
        "updated_at": product.date_updated.isoformat() if product.date_updated else None,
    }


def _publish(product_ids: set[int]) -> None:
    try:
        if not webhook_endpoints_subscribed(event=PRODUCT_UPDATED):
            return  # nobody listens: not even the products are read
        with transaction.atomic():
            for product in Product.objects.filter(pk__in=product_ids).select_related("parent").order_by("pk"):
                webhook_event_publish(event=PRODUCT_UPDATED, data=product_webhook_data(product=product))
    except Exception:  # noqa: BLE001 - a side reaction never fails the change that committed already
        logger.exception("product.updated for %s product(s) could not be published", len(product_ids))


class _Batch:
    """The products published by the on-commit callbacks of one outermost transaction."""

    def __init__(self) -> None:
        self.published: set[int] = set()
        self.pending: dict[tuple, _Pending] = {}


class _Pending:
    """The product ids changed at one savepoint level of the transaction, published once it commits
    (without the ids another level of the same transaction published already)."""

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        self.ids: set[int] = set()

    def __call__(self) -> None:
        ids = self.ids - self.batch.published
        self.batch.published |= ids
        if ids:
            _publish(ids)


def product_updated_collect(*, product_ids: Iterable[int], using: str = "default") -> None:
    """Publish `product.updated` for these products once the current transaction commits, one event
    per product however often it changed (at once outside a transaction)."""
    ids = {int(pk) for pk in product_ids if pk is not None}
    if not ids:
        return
    connection = connections[using]
    if not connection.in_atomic_block:
        _publish(ids)
        return
    # One pending set per savepoint level, registered with on_commit there: a rolled-back savepoint (or
    # transaction) drops its callback, and with it its ids. A batch whose callbacks are all gone belongs
    # to a transaction that ended; a new one starts.
    queued = [callback for _, callback, _ in connection.run_on_commit]
    batch = getattr(connection, "_hypex_products_updated", None)
    if batch is None or not any(any(c is p for c in queued) for p in batch.pending.values()):
        batch = _Batch()
        connection._hypex_products_updated = batch
    level = tuple(connection.savepoint_ids)
    pending = batch.pending.get(level)
    if pending is None or not any(c is pending for c in queued):
        pending = _Pending(batch)
        batch.pending[level] = pending
        transaction.on_commit(pending, using=using)
    pending.ids |= ids


#: saves of only these fields are the shop's own figures (a review's rating), not a change to the product
DERIVED_FIELDS = frozenset({"rating", "reviews_count"})


def _product_saved(sender, instance, raw=False, using="default", update_fields=None, **kwargs) -> None:
    if raw or (update_fields and set(update_fields) <= DERIVED_FIELDS):
        return
    product_updated_collect(product_ids=[instance.pk], using=using)


def _attribute_value_saved(sender, instance, raw=False, using="default", **kwargs) -> None:
    if not raw:
        product_updated_collect(product_ids=[instance.product_id], using=using)


def _categories_changed(sender, instance, action, pk_set=None, model=None, using="default", **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    ids = [instance.pk] if isinstance(instance, Product) else list(pk_set or [])
    product_updated_collect(product_ids=ids, using=using)


def connect() -> None:
    post_save.connect(_product_saved, sender=Product, dispatch_uid="product-updated-webhook")
    post_save.connect(_attribute_value_saved, sender=ProductAttributeValue, dispatch_uid="product-updated-webhook-attr")
    m2m_changed.connect(
        _categories_changed, sender=Product.categories.through, dispatch_uid="product-updated-webhook-categories"
    )
