"""Reads of the audit trail (ADR 0047)."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from .models import AuditLogEntry

#: entries of a group shown on the screen of what made them (an import job); the rest are in the log
GROUP_SHOWN = 100


def audit_entries_for_object(*, obj) -> QuerySet:
    """The object's entries and those of the rows that belong to it (`AUDITTRAIL_HISTORY_INCLUDES`: a
    product's variants, stock records and category links; an order's refunds), newest first, in one
    query. Rows deleted since are found in the log, not here (their link to the object is gone)."""
    wanted = Q(content_type=ContentType.objects.get_for_model(obj.__class__), object_pk=str(obj.pk))
    for label, lookup in settings.AUDITTRAIL_HISTORY_INCLUDES.get(obj._meta.label, ()):
        model = apps.get_model(label)
        ids = model._default_manager.filter(**{lookup: obj.pk}).values("pk")
        wanted |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    return AuditLogEntry.objects.filter(wanted).select_related("actor", "content_type").order_by("-timestamp", "-pk")


def audit_entries_for_group(*, cid: str) -> QuerySet:
    """Every entry of one group (an import job, a bulk change, a request), in the order written."""
    return AuditLogEntry.objects.filter(cid=cid).select_related("actor", "content_type").order_by("timestamp", "pk")


def audited_content_types() -> list[ContentType]:
    """The content types of the audited models, by name (the log screen's model filter)."""
    types = ContentType.objects.get_for_models(*auditlog.get_models())
    return sorted(types.values(), key=lambda ct: (ct.app_label, ct.model))


def import_job_group(job_id: int) -> str:
    """The group (cid) of an import job's changes."""
    return f"import:{job_id}"


def bulk_change_group(change_id: int) -> str:
    """The group (cid) of a bulk change's changes."""
    return f"bulk:{change_id}"


def audit_group_summary(*, cid: str, user) -> dict:
    """The first `GROUP_SHOWN` entries of a group, their count, and the log filtered to the group when
    `user` may open the audit log (else None)."""
    entries = audit_entries_for_group(cid=cid)
    log_url = None
    if user.has_perm("audittrail.view_auditlogentry"):
        log_url = reverse("admin:audittrail_auditlogentry_changelist") + "?" + urlencode({"cid": cid})
    return {"entries": list(entries[:GROUP_SHOWN]), "count": entries.count(), "log_url": log_url}
