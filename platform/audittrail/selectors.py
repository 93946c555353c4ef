"""Reads of the audit trail (ADR 0047)."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .models import AuditLogEntry


def audit_entries_for_object(*, obj) -> QuerySet:
    """The object's entries, newest first, with their actors."""
    return AuditLogEntry.objects.get_for_object(obj).select_related("actor", "content_type").order_by("-timestamp")


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
