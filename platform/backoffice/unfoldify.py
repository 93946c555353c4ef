"""Put every admin class on unfold's base classes.

Oscar (and a few other packages) register plain `ModelAdmin`s, which render unstyled inside unfold.
At start-up, after every app's admin module has been imported, each registration that is not already
an unfold class is replaced by a subclass that mixes unfold's `ModelAdmin` in front of the original,
with its inlines converted the same way. Behaviour (list_display, filters, actions) is kept.
"""

from __future__ import annotations

from django.contrib import admin
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


def reregister_on_unfold(site: admin.AdminSite = admin.site) -> list[str]:
    """Re-register non-unfold admin classes; returns the labels of the models it changed."""
    changed = []
    for model, model_admin in list(site._registry.items()):
        admin_cls = type(model_admin)
        if issubclass(admin_cls, UnfoldModelAdmin) or model._meta.app_label in _SKIP_APPS:
            continue
        site.unregister(model)
        site.register(model, unfold_admin_class(admin_cls))
        changed.append(model._meta.label)
    return changed
