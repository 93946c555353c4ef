"""Writes on content: the site's home page, the Django/Wagtail site records, scheduled publishing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.sites.models import Site as DjangoSite
from django.db import transaction
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, DraftStateMixin, Locale, Page, Revision
from wagtail.models import Site as WagtailSite

from .models import HomePage


def _site_address() -> tuple[str, int]:
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    default_port = 443 if parts.scheme == "https" else 80
    return parts.hostname or "localhost", parts.port or default_port


def cms_tree_ensure() -> Page:
    """Wagtail's own starting rows - default locale, root page, root collection - as its migrations
    create them. Needed again after a test flush, which empties tables without re-running migrations."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    return root


@transaction.atomic
def site_root_ensure() -> HomePage:
    """Make a HomePage the root of the default Wagtail site, and align Django's Site with it.

    Idempotent: run after every migrate. Replaces Wagtail's placeholder "Welcome" page only when it is
    still a plain `Page`; an existing HomePage is kept as it is.
    """
    root = cms_tree_ensure()
    home = HomePage.objects.first()
    if home is None:
        Page.objects.filter(depth=2, slug="home").exact_type(Page).delete()
        root.refresh_from_db()
        home = root.add_child(instance=HomePage(title="Home", slug="home", live=True))

    hostname, port = _site_address()
    site = WagtailSite.objects.filter(is_default_site=True).first()
    if site is None:
        WagtailSite.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=settings.OSCAR_SHOP_NAME
        )
    elif site.root_page_id != home.pk or site.site_name != settings.OSCAR_SHOP_NAME:
        site.root_page = home
        site.site_name = settings.OSCAR_SHOP_NAME
        site.save(update_fields=["root_page", "site_name"])

    DjangoSite.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={
            "domain": f"{hostname}:{port}" if port not in (80, 443) else hostname,
            "name": settings.OSCAR_SHOP_NAME,
        },
    )
    return home


@dataclass(frozen=True)
class ScheduledPublishResult:
    published: int
    unpublished: int


def scheduled_content_publish(*, now: datetime | None = None) -> ScheduledPublishResult:
    """Publish every revision (page or snippet) whose approved go-live time has passed, and take down
    live objects whose expiry has passed - what Wagtail's `publish_scheduled` command does, with
    Wagtail's own `Revision.publish()` / `unpublish()`.

    Idempotent: a published revision loses its `approved_go_live_at`, an unpublished object its `live`,
    so a second run finds nothing. Safe beside an editor and beside another run: each object is handled in its own
    transaction with its row locked and its state checked again.
    """
    now = now or timezone.now()
    unpublished = 0
    models = [Page, *(m for m in apps.get_models() if issubclass(m, DraftStateMixin) and not issubclass(m, Page))]
    for model in models:
        due = model.objects.filter(live=True, expire_at__lt=now)
        for pk in list(due.order_by("expire_at").values_list("pk", flat=True)):
            with transaction.atomic():
                obj = due.select_for_update().filter(pk=pk).first()
                if obj is None:
                    continue  # taken down meanwhile (another run, or an editor)
                obj = obj.specific if isinstance(obj, Page) else obj
                obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
            unpublished += 1

    published = 0
    for revision_id in (
        Revision.objects.filter(approved_go_live_at__lt=now)
        .order_by("approved_go_live_at")
        .values_list("id", flat=True)
    ):
        with transaction.atomic():
            revision = Revision.objects.select_for_update().filter(pk=revision_id, approved_go_live_at__lt=now).first()
            if revision is None:
                continue  # published meanwhile (another worker, or an editor)
            revision.publish(log_action="wagtail.publish.scheduled")
        published += 1
    return ScheduledPublishResult(published=published, unpublished=unpublished)
