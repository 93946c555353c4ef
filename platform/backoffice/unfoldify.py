"""Put every admin class on unfold's base classes.

Oscar (and a few other packages) register plain `ModelAdmin`s, which render unstyled inside unfold.
At start-up, after every app's admin module has been imported, each registration that is not already
an unfold class is replaced by a subclass that mixes unfold's `ModelAdmin` in front of the original,
with its inlines converted the same way. Behaviour (list_display, filters, actions) is kept.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from unfold.admin import ModelAdmin as UnfoldModelAdmin
from unfold.admin import StackedInline as UnfoldStackedInline
from unfold.admin import TabularInline as UnfoldTabularInline

# Apps whose admin screens stay as they are: Django's own login-less models we do not want styled
# twice, and anything already unfold-based is skipped anyway.
_SKIP_APPS: frozenset[str] = frozenset()


def _unfold_inline(inline_cls: type) -> type:
    if issubclass(inline_cls, (UnfoldTabularInline, UnfoldStackedInline)):
        return inline_cls
    base = UnfoldTabularInline if issubclass(inline_cls, admin.TabularInline) else UnfoldStackedInline
    return type(inline_cls.__name__, (base, inline_cls), {"__module__": inline_cls.__module__})


def unfold_admin_class(admin_cls: type) -> type:
    """Return `admin_cls` re-based on unfold's ModelAdmin (or itself if it already is)."""
    if issubclass(admin_cls, UnfoldModelAdmin):
        return admin_cls
    attrs = {
        "__module__": admin_cls.__module__,
        "inlines": [_unfold_inline(inline) for inline in getattr(admin_cls, "inlines", [])],
    }
    return type(admin_cls.__name__, (UnfoldModelAdmin, admin_cls), attrs)


_SEARCHABLE = (models.CharField, models.EmailField, models.SlugField, models.TextField)
_FILTERABLE = (models.BooleanField, models.DateField)  # DateTimeField is a DateField


def default_search_fields(model) -> tuple[str, ...]:
    """Up to four text columns (free text, not choices) to search a list by, the pk when none."""
    fields = [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, _SEARCHABLE) and not f.choices and not isinstance(f, models.TextField)
    ][:4]
    return tuple(fields) or ("=pk",)


def default_list_filter(model) -> tuple[str, ...]:
    """Up to four flags, choice columns and dates to filter a list by."""
    return tuple(
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and (isinstance(f, _FILTERABLE) or (f.choices and not f.is_relation))
    )[:4]


def _resolves(model, search_field: str) -> bool:
    path = search_field.lstrip("^=@").split("__")
    try:
        fields = get_fields_from_path(model, "__".join(path))
    except (FieldDoesNotExist, NotRelationField):
        # A trailing lookup such as `__exact` is fine on a real field.
        try:
            fields = get_fields_from_path(model, "__".join(path[:-1])) if len(path) > 1 else []
        except (FieldDoesNotExist, NotRelationField):
            return False
        return bool(fields) and not fields[-1].is_relation
    return bool(fields)


def give_every_list_search_and_filters(site: admin.AdminSite = admin.site) -> None:
    """Admins that declare no search or no filters get defaults derived from their model's fields.

    Declared search fields that do not resolve on the model (Oscar's admins assume a `username`
    that Hypex's email-login user has not) are dropped, so a search never answers with a 500."""
    for model, model_admin in site._registry.items():
        model_admin.search_fields = tuple(f for f in model_admin.search_fields or () if _resolves(model, f))
        if not model_admin.search_fields:
            model_admin.search_fields = default_search_fields(model)
        if not model_admin.list_filter:
            model_admin.list_filter = default_list_filter(model)


def reregister_on_unfold(site: admin.AdminSite = admin.site) -> list[str]:
    """Re-register non-unfold admin classes; returns the labels of the models it changed.

    Then every list gets search and filters (`give_every_list_search_and_filters`)."""
    changed = []
    for model, model_admin in list(site._registry.items()):
        admin_cls = type(model_admin)
        if issubclass(admin_cls, UnfoldModelAdmin) or model._meta.app_label in _SKIP_APPS:
            continue
        site.unregister(model)
        site.register(model, unfold_admin_class(admin_cls))
        changed.append(model._meta.label)
    give_every_list_search_and_filters(site)
    return changed
