"""content.wagtail_apps: Wagtail's app configs without the v3 API routers (docs/adr/0038, addendum of 2026-12-07)."""

import hashlib
import inspect
import weakref

import pytest
from django.apps import apps
from wagtail.contrib.redirects.apps import WagtailRedirectsAppConfig
from wagtail.documents.apps import WagtailDocsAppConfig
from wagtail.images.apps import WagtailImagesAppConfig
from wagtail.snippets.apps import WagtailSnippetsAppConfig

from content import wagtail_apps

# The digests of Wagtail's own `ready()` that content/wagtail_apps.py copies (Wagtail 8.0.1).
COPIED_FROM = {
    WagtailSnippetsAppConfig: ("1ac35b5ed4034956", wagtail_apps.SnippetsConfig),
    WagtailImagesAppConfig: ("52e409385bb1ad62", wagtail_apps.ImagesConfig),
    WagtailDocsAppConfig: ("4cdf87a46dbf81ef", wagtail_apps.DocumentsConfig),
    WagtailRedirectsAppConfig: ("19d1a78049d84e47", wagtail_apps.RedirectsConfig),
}


@pytest.mark.parametrize("wagtails", list(COPIED_FROM), ids=lambda config: config.__name__)
def test_wagtails_ready_is_the_one_copied(wagtails):
    """An upgrade that changes one of these `ready()`s fails here: copy what it adds (all but the v3 API's
    routers) into content/wagtail_apps.py, then record the new digest."""
    digest, _ours = COPIED_FROM[wagtails]
    assert hashlib.sha256(inspect.getsource(wagtails.ready).encode()).hexdigest()[:16] == digest


@pytest.mark.parametrize("wagtails", list(COPIED_FROM), ids=lambda config: config.__name__)
def test_the_installed_app_is_ours_under_wagtails_name_and_label(wagtails):
    _digest, ours = COPIED_FROM[wagtails]
    installed = apps.get_app_config(wagtails.label)
    assert type(installed) is ours
    assert (installed.name, installed.label) == (wagtails.name, wagtails.label)


def test_what_wagtails_ready_registers_is_registered():
    from django.db.models import CASCADE, ForeignKey
    from django.db.models.signals import post_migrate
    from wagtail.admin.forms.models import registry as form_field_overrides
    from wagtail.contrib.redirects.signal_handlers import autocreate_redirects_on_slug_change
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.images.widgets import AdminImageChooser
    from wagtail.models.reference_index import ReferenceIndex
    from wagtail.signals import page_slug_changed
    from wagtail.snippets.models import create_extra_permissions

    assert ReferenceIndex.is_indexed(get_image_model()) and ReferenceIndex.is_indexed(get_document_model())
    image_field = ForeignKey(get_image_model(), on_delete=CASCADE)
    assert form_field_overrides.get(image_field)["widget"] is AdminImageChooser
    assert autocreate_redirects_on_slug_change in _receivers(page_slug_changed)
    assert create_extra_permissions in _receivers(post_migrate)


def _receivers(signal) -> list:
    """The functions connected to `signal` (Django keeps weak references unless told otherwise)."""
    return [ref() if isinstance(ref, weakref.ref) else ref for _key, ref, *_rest in signal.receivers]
