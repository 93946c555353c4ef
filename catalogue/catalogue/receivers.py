"""Side reaction only: any change to what the catalogue shows makes the anonymous cache stale
(`catalogue/cache.py`), and so does a page going live, away or behind a view restriction (search
suggestions list pages). Products and pages also move the suggestions' own version; stock, prices,
images and categories do not (ADR 23 addendum).
Connected in CatalogueConfig.ready(). The tax rate is watched too: the
catalogue's prices including tax are computed from it (`catalogue/partner/strategy.py`). Bulk
`QuerySet.update()`, `bulk_create`/`bulk_update` and raw SQL send no signal: the services that use
them call `catalogue_cache_invalidate()` themselves (ADR 0023 lists every write path).

Redis away (ADR 0025): a bump cannot fail the save that caused it (the cache backend degrades to a
no-op), but it is lost; when Redis answers again the cache sends `cache_recovered` and the version is
bumped once more, so nothing cached before the outage is served after it.

Oscar's receivers of `product_viewed` are replaced: the history cookie is written by the product page
itself (`catalogue.recommendations.recently_viewed_remember`), reading what the shopper sent as hostile,
and views are counted out of the request (`catalogue.view_counts`)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from oscar.apps.analytics import receivers as oscar_analytics
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.customer import receivers as oscar_customer
from oscar.core.loading import get_model
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished

from catalogue.cache import (
    catalogue_cache_invalidate,
    catalogue_version_bump,
    catalogue_versions_bump,
    categories_version_bump,
    search_version_bump,
)
from catalogue.image_renditions import product_image_renditions_schedule
from catalogue.view_counts import product_view_record
from ops.signals import cache_recovered

WATCHED = [
    ("catalogue", "Product"),
    ("catalogue", "Category"),
    ("catalogue", "ProductCategory"),
    ("catalogue", "ProductImage"),
    ("catalogue", "ProductAttributeValue"),
    ("partner", "StockRecord"),
    ("checkout", "TaxRate"),
]


def _shown_in_search(sender) -> bool:
    """A product's or a page's own row, or a page's view restriction: what the search suggestions list."""
    if sender is None:
        return True
    return sender is get_model("catalogue", "Product") or issubclass(sender, (Page, PageViewRestriction))


def _bump(sender=None, **kwargs) -> None:
    catalogue_version_bump()
    # A category's change moves the category menu's version too (catalogue/cache.py); a product's or a
    # page's the search suggestions' version; nothing else moves either.
    categories = sender is not None and sender is get_model("catalogue", "Category")
    search = _shown_in_search(sender)
    if categories:
        categories_version_bump()
    if search:
        search_version_bump()
    # Once more after commit: a request that read the old rows while the transaction was open
    # must not leave them cached under the new version.
    catalogue_cache_invalidate(categories=categories, search=search)


def _bump_after_outage(**kwargs) -> None:
    catalogue_versions_bump()


def _product_viewed(sender, product, user=None, **kwargs) -> None:
    if not kwargs.get("raw", False):
        product_view_record(product=product, user=user)


def _image_saving(sender, instance, raw=False, **kwargs) -> None:
    """A saved image's renditions are "not yet" until its message has made them (the file may be new)."""
    if not raw:
        instance.renditions_made_at, instance.renditions_error = None, ""


def _image_saved(sender, instance, raw=False, **kwargs) -> None:
    """Its renditions are made after commit, in the worker (catalogue/image_renditions.py); a fixture's
    rows (`raw`) are left to the catch-up task."""
    if not raw:
        product_image_renditions_schedule(image_ids=[instance.pk])


def connect() -> None:
    product_viewed.disconnect(oscar_customer.receive_product_view)
    product_viewed.disconnect(oscar_analytics.receive_product_view)  # a write per view: ours counts in Redis
    product_viewed.connect(_product_viewed, dispatch_uid="catalogue-product-viewed")
    cache_recovered.connect(_bump_after_outage, dispatch_uid="catalogue-cache-recovered")
    for app_label, model_name in WATCHED:
        model = get_model(app_label, model_name)
        uid = f"catalogue-cache-{app_label}-{model_name}"
        post_save.connect(_bump, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"{uid}-delete")
    image = get_model("catalogue", "ProductImage")
    pre_save.connect(_image_saving, sender=image, dispatch_uid="catalogue-image-renditions-reset")
    post_save.connect(_image_saved, sender=image, dispatch_uid="catalogue-image-renditions-schedule")
    product = get_model("catalogue", "Product")
    m2m_changed.connect(_bump, sender=product.categories.through, dispatch_uid="catalogue-cache-categories")
    # Search suggestions list live pages too (catalogue/suggest.py): a page that goes live, goes away
    # or moves makes them stale. Wagtail sends these for every page type (the sender is the specific class).
    page_published.connect(_bump, dispatch_uid="catalogue-cache-page-published")
    page_unpublished.connect(_bump, dispatch_uid="catalogue-cache-page-unpublished")
    page_slug_changed.connect(_bump, dispatch_uid="catalogue-cache-page-slug")
    post_delete.connect(_bump_for_page, dispatch_uid="catalogue-cache-page-deleted")
    # A view restriction added or removed shows or hides pages (Wagtail's `.public()`).
    post_save.connect(_bump, sender=PageViewRestriction, dispatch_uid="catalogue-cache-page-restriction-save")
    post_delete.connect(_bump, sender=PageViewRestriction, dispatch_uid="catalogue-cache-page-restriction-delete")


def _bump_for_page(sender, **kwargs) -> None:
    if issubclass(sender, Page):
        _bump(sender=sender)
