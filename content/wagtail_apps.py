"""Wagtail's snippets, images, documents and redirects apps without their v3 API routers at start-up.

Wagtail 8's `ready()` of these apps ends by building routers for its v3 API (django-ninja, a pydantic
schema per snippet and page type) and adding them to `wagtail.api.v3.api.api`. Hypex never mounts that
API (its CMS API is v2, `content/api/`; `wagtail.api.v3` is not installed, so Wagtail's API-token screens
are off too), yet every process paid for the routers at `django.setup()`: about 0.4 s of CPU in each
`manage.py` command, huey worker and server process (docs/adr/0038, addendum of 2026-12-07).

Each `ready()` below is Wagtail's up to that block, the relative imports written out;
`tests/content/test_wagtail_apps.py` fails when Wagtail's own `ready()` changes, so an upgrade is
re-read here. A process that mounts `wagtail.api.v3.api.api.urls` must first add the routers as those
blocks do (`register_content_types()`, then `api.add_router(...)`).
"""

from django.db.models import ForeignKey
from django.db.models.signals import post_migrate
from wagtail.contrib.redirects.apps import WagtailRedirectsAppConfig
from wagtail.documents import get_document_model
from wagtail.documents import get_permission_policy as document_permission_policy
from wagtail.documents.apps import WagtailDocsAppConfig
from wagtail.images import get_image_model
from wagtail.images import get_permission_policy as image_permission_policy
from wagtail.images.apps import WagtailImagesAppConfig
from wagtail.snippets.apps import WagtailSnippetsAppConfig


class SnippetsConfig(WagtailSnippetsAppConfig):
    def ready(self):
        from wagtail.snippets.models import create_extra_permissions, register_deferred_snippets

        register_deferred_snippets()

        post_migrate.connect(create_extra_permissions, sender=self)


class ImagesConfig(WagtailImagesAppConfig):
    def ready(self):
        from wagtail.permissions import register_permission_policy

        Image = get_image_model()  # noqa: N806 - Wagtail's name
        register_permission_policy(Image, image_permission_policy())

        from wagtail.images.signal_handlers import register_signal_handlers

        register_signal_handlers()

        from wagtail.admin.forms.models import register_form_field_override
        from wagtail.images.widgets import AdminImageChooser

        register_form_field_override(ForeignKey, to=Image, override={"widget": AdminImageChooser})

        from wagtail.admin.compare import register_comparison_class
        from wagtail.images.edit_handlers import ImageFieldComparison

        register_comparison_class(ForeignKey, to=Image, comparison_class=ImageFieldComparison)

        from wagtail.admin.ui.fields import register_display_class
        from wagtail.images.components import ImageDisplay

        register_display_class(ForeignKey, to=Image, display_class=ImageDisplay)

        from wagtail.models.reference_index import ReferenceIndex

        ReferenceIndex.register_model(Image)


class DocumentsConfig(WagtailDocsAppConfig):
    def ready(self):
        from wagtail.documents.signal_handlers import register_signal_handlers
        from wagtail.permissions import register_permission_policy

        Document = get_document_model()  # noqa: N806 - Wagtail's name
        register_permission_policy(Document, document_permission_policy())
        register_signal_handlers()

        from wagtail.admin.ui.fields import register_display_class
        from wagtail.documents.components import DocumentDisplay

        register_display_class(ForeignKey, to=Document, display_class=DocumentDisplay)

        from wagtail.models.reference_index import ReferenceIndex

        ReferenceIndex.register_model(Document)


class RedirectsConfig(WagtailRedirectsAppConfig):
    def ready(self):
        from wagtail.contrib.redirects.models import Redirect
        from wagtail.permissions import register_permission_policy

        register_permission_policy(Redirect)

        from wagtail.contrib.redirects.signal_handlers import (
            autocreate_redirects_on_page_move,
            autocreate_redirects_on_slug_change,
        )
        from wagtail.signals import page_slug_changed, post_page_move

        post_page_move.connect(autocreate_redirects_on_page_move)
        page_slug_changed.connect(autocreate_redirects_on_slug_change)
