"""Side reactions only: drop the storefront's cached menus/announcement/footer/contact on any change,
and once more when Redis answers again after an outage (invalidations made while it was away were
lost; ADR 0025)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished

from ops.signals import cache_recovered

from .cache import content_cache_invalidate
from .snippets import AnnouncementBar, Footer, NavigationMenu, SiteContactSettings


def _invalidate(sender, **kwargs) -> None:
    content_cache_invalidate()


def connect() -> None:
    # Sites too: the footer and contact details are cached by the host that picks the site.
    for model in (NavigationMenu, AnnouncementBar, Footer, SiteContactSettings, Site):
        label = model._meta.label_lower
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"content.cache.save.{label}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"content.cache.delete.{label}")
    # Menus link to pages: a moved, renamed or unpublished page changes their hrefs.
    page_published.connect(_invalidate, dispatch_uid="content.cache.page_published")
    page_unpublished.connect(_invalidate, dispatch_uid="content.cache.page_unpublished")
    cache_recovered.connect(_invalidate, dispatch_uid="content.cache.recovered")
