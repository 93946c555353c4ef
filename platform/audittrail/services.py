"""Writes of the audit trail: entries for the writes model signals never see (`QuerySet.update()`,
`bulk_update`, `bulk_create`, raw SQL), and the purge of old entries (ADR 0047).

Callers take a copy of the rows before they change them (`audit_copies`), write, then hand both to
`audit_updates_record`; rows inserted in bulk go to `audit_creates_record`; changes whose before and
after are known as values (a bulk change's plan) go to `audit_values_record`. Every function writes
its entries with one INSERT, takes the current context (source, actor, group), keeps to the model's
registration (excluded fields never stored, masked fields masked) and does nothing when auditing is off
or the model is not audited. On PostgreSQL the INSERT is a `COPY` (`copy_insert`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta

from auditlog.diff import get_field_value, get_fields_in_model, get_mask_function, model_instance_diff
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.encoding import smart_str

from .context import audit_enabled, audit_entry_fill
from .copy_insert import objects_copy_insert
from .models import AuditLogEntry

Action = AuditLogEntry.Action


def _audited(model) -> bool:
    return audit_enabled() and auditlog.contains(model._meta.concrete_model)


def audit_copies(objects: Iterable[models.Model]) -> dict[object, models.Model]:
    """Copies of the rows as they are now, by primary key: the "before" of `audit_updates_record`."""
    return {obj.pk: copy.copy(obj) for obj in objects}


Label = Callable[[models.Model], str] | None


def _entry(instance, *, action: int, changes: dict, cid: str | None, label: Label = None) -> AuditLogEntry:
    pk = instance.pk
    entry = AuditLogEntry(
        content_type=ContentType.objects.get_for_model(instance.__class__),
        object_pk=smart_str(pk),
        object_id=pk if isinstance(pk, int) else None,
        object_repr=smart_str(label(instance) if label else instance)[:2000],
        action=action,
        changes={field: list(values) for field, values in changes.items()},
        cid=cid,
    )
    audit_entry_fill(entry)
    return entry


def _write(entries: list[AuditLogEntry]) -> int:
    return objects_copy_insert(AuditLogEntry, entries)


def audit_updates_record(
    *,
    objects: Iterable[models.Model],
    before: Mapping[object, models.Model],
    fields=None,
    cid: str | None = None,
    label: Label = None,
) -> int:
    """Record what changed on each of `objects` since its copy in `before` (only `fields`, when given).
    `label` names an object in the log (default `str(obj)`, which may query related rows)."""
    objects = list(objects)
    if not objects or not _audited(objects[0].__class__):
        return 0
    entries = []
    for obj in objects:
        old = before.get(obj.pk)
        changes = model_instance_diff(old, obj, fields_to_check=fields) if old is not None else None
        if changes:
            entries.append(_entry(obj, action=Action.UPDATE, changes=changes, cid=cid, label=label))
    return _write(entries)


def audit_creates_record(*, objects: Iterable[models.Model], cid: str | None = None, label: Label = None) -> int:
    """Record rows inserted in bulk (they must have their primary keys), of one model or several (an
    import's batch: products, their values, links and stock records), with one INSERT. Each entry holds
    what auditlog records for a create (`model_instance_diff(None, obj)`), worked out per model once
    (the fields, their "before", the masking) and per row only for the row's own values."""
    if not audit_enabled():
        return 0
    by_model: dict[type, list[models.Model]] = {}
    for obj in objects:
        if obj.pk is not None:
            by_model.setdefault(obj.__class__, []).append(obj)
    entries = []
    for model, rows in by_model.items():
        if not auditlog.contains(model._meta.concrete_model):
            continue
        diff = _create_diff(rows[0])
        entries += [_entry(obj, action=Action.CREATE, changes=diff(obj), cid=cid, label=label) for obj in rows]
    return _write(entries)


def _create_diff(sample: models.Model) -> Callable[[models.Model], dict]:
    """`model_instance_diff(None, obj)` for objects of `sample`'s model, with everything that does not
    depend on the object done once: the same fields (auditlog's `get_fields_in_model` and the model's
    include/exclude list), the same "before" of each (`get_field_value(None, field)`), masking, and the
    value of to-many relations ("basket.Line.None", the text of a related manager)."""
    options = auditlog.get_model_fields(sample._meta.model)
    fields = set(get_fields_in_model(sample))
    if options["include_fields"]:
        fields = [f for f in fields if f.name in options["include_fields"]]
    if options["exclude_fields"]:
        fields = [f for f in fields if f.name not in options["exclude_fields"]]
    mask = get_mask_function(options.get("mask_callable"))
    # a to-many relation's value is its manager's text, the same for every row: read it once
    same = {field: get_field_value(sample, field) for field in fields if field.one_to_many}
    plan = [(field, get_field_value(None, field), field.name in options["mask_fields"]) for field in fields]

    def diff(obj: models.Model) -> dict:
        changes = {}
        for field, old, masked in plan:
            new = same[field] if field in same else get_field_value(obj, field)
            if old != new:
                old_text, new_text = smart_str(old), smart_str(new)
                changes[field.name] = (mask(old_text), mask(new_text)) if masked else (old_text, new_text)
        return changes

    return diff


def audit_values_record(
    *,
    model,
    rows: Iterable[tuple[models.Model, Mapping[str, tuple[object, object]]]],
    cid: str | None = None,
    label: Label = None,
) -> int:
    """Record changes known as values: `rows` of (object, {field: (before, after)}); values are stored as
    text like auditlog's own. A field the registration excludes is left out, a masked one masked."""
    if not _audited(model):
        return 0
    options = auditlog.get_model_fields(model._meta.concrete_model)
    mask = get_mask_function(options["mask_callable"])
    entries = []
    included, excluded = set(options["include_fields"]), set(options["exclude_fields"])
    for obj, changes in rows:
        kept = {}
        for field, (old, new) in changes.items():
            if field in excluded or (included and field not in included):
                continue
            old, new = smart_str(old), smart_str(new)
            if old == new:
                continue
            kept[field] = (mask(old), mask(new)) if field in options["mask_fields"] else (old, new)
        if kept:
            entries.append(_entry(obj, action=Action.UPDATE, changes=kept, cid=cid, label=label))
    return _write(entries)


def audit_entries_purge(*, older_than_days: int | None = None) -> int:
    """Delete entries older than `AUDITTRAIL_RETENTION_DAYS` (0 keeps everything); returns how many."""
    days = settings.AUDITTRAIL_RETENTION_DAYS if older_than_days is None else older_than_days
    if days <= 0:
        return 0
    deleted, _ = AuditLogEntry.objects.filter(timestamp__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted


ANONYMISED = "(anonymised)"
PERSONAL_FIELDS = ("email", "phone", "first_name", "last_name", "username")


def audit_user_forget(*, user, fields: Iterable[str] = PERSONAL_FIELDS) -> int:
    """A person is deleted (anonymised): their entries keep what happened but not who they were. The
    values of `fields` become "(anonymised)" in the entries of their user row, those entries' name too,
    and entries they made as staff lose their email. Returns how many entries were rewritten."""
    fields = set(fields)
    entries = list(AuditLogEntry.objects.get_for_object(user))
    for entry in entries:
        changes = entry.changes or {}
        for name in fields & set(changes):
            if isinstance(changes[name], list):
                changes[name] = [ANONYMISED if value not in ("", "None") else value for value in changes[name]]
        entry.changes = changes
        entry.object_repr = f"user {user.pk} {ANONYMISED}"
    AuditLogEntry.objects.bulk_update(entries, ["changes", "object_repr"], batch_size=500)
    AuditLogEntry.objects.filter(actor_id=user.pk).update(actor_email=None)
    return len(entries)
