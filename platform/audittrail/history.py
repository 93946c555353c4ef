"""The "History" link of every audited model's back-office screen shows the audit trail of the object
(ADR 0047): who changed what, before and after, from where, through every door (the admin, the staff
API, imports, bulk changes, the CMS), where Django's own history shows only admin form saves.

`audit_history_install(site)` re-registers each audited model's admin with `AuditHistoryMixin` in
front; the back office calls it once its admin classes are in place.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst

from .selectors import audit_entries_for_object

HISTORY_PER_PAGE = 50


class AuditHistoryMixin:
    """Replaces ModelAdmin.history_view: the object's audit entries, newest first, 50 a page. Whoever
    may view the object may see its history."""

    audit_history_template = "audittrail/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        model = self.model
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, model._meta, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        page = Paginator(audit_entries_for_object(obj=obj), HISTORY_PER_PAGE).get_page(request.GET.get("p"))
        log_url = None
        if request.user.has_perm("audittrail.view_auditlogentry"):
            log_url = reverse("admin:audittrail_auditlogentry_changelist") + "?" + urlencode({"object": obj.pk})
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {obj}",
            "subtitle": None,
            "module_name": str(capfirst(model._meta.verbose_name_plural)),
            "object": obj,
            "opts": model._meta,
            "entries": page,
            "log_url": log_url,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.audit_history_template, context)


def audit_history_install(site: admin.AdminSite = admin.site) -> int:
    """Put `AuditHistoryMixin` in front of the admin of every audited model; returns how many."""
    count = 0
    for model in auditlog.get_models():
        model_admin = site._registry.get(model)
        if model_admin is None or isinstance(model_admin, AuditHistoryMixin):
            continue
        cls = type(model_admin)
        site.unregister(model)
        site.register(model, type(cls.__name__, (AuditHistoryMixin, cls), {"__module__": cls.__module__}))
        replacement = site._registry[model]
        for name, value in vars(model_admin).items():  # what was set on the instance (default search, filters)
            replacement.__dict__.setdefault(name, value)
        count += 1
    return count
