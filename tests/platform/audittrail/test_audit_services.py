"""The audit trail's own services and rules: explicit entries for bulk writes keep to the registration,
old entries are purged, tasks say so, no secret is ever audited."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.context import disable_auditlog
from auditlog.registry import auditlog
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import db_task
from oscar.core.loading import get_model
from oscar.test import factories

from accounts.services import user_anonymise
from audittrail import checks
from audittrail.context import audit_context
from audittrail.models import AuditLogEntry, Source
from audittrail.services import audit_creates_record, audit_entries_purge, audit_values_record
from audittrail.tasks import audit_entries_expire
from tests.platform.backoffice.admin_forms import change_form_data

Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db


@db_task()
def _retitle(product_id: int, title: str) -> None:
    product = Product.objects.get(pk=product_id)
    product.title = title
    product.save()


def test_values_record_leaves_out_excluded_fields_and_unchanged_values():
    user = get_user_model().objects.create_user(email="a@example.com", password="x-Secret-1")

    written = audit_values_record(
        model=get_user_model(),
        rows=[(user, {"password": ("old-hash", "new-hash"), "first_name": ("", "Ann"), "last_name": ("B", "B")})],
    )

    entry = AuditLogEntry.objects.get_for_object(user).latest("pk")
    assert written == 1 and entry.changes == {"first_name": ["", "Ann"]}


def test_nothing_is_recorded_when_auditing_is_off_or_the_model_is_not_audited():
    product = factories.create_product(title="Lamp")
    before = AuditLogEntry.objects.count()

    with disable_auditlog():
        off = audit_values_record(model=Product, rows=[(product, {"title": ("Lamp", "Desk lamp")})])
    line_attribute = factories.ProductAttributeFactory()
    not_audited = audit_creates_record(objects=[line_attribute])

    assert (off, not_audited) == (0, 0) and AuditLogEntry.objects.count() == before


def _create_entries() -> dict:
    """Create entries by object; auditlog writes a generic relation's manager as its repr, with an address."""
    entries = AuditLogEntry.objects.filter(action=AuditLogEntry.Action.CREATE)
    return {
        (e.content_type_id, e.object_id): (
            e.object_repr,
            json.loads(re.sub(r" at 0x[0-9a-f]+", "", json.dumps(e.changes))),
        )
        for e in entries
    }


def test_rows_created_in_bulk_have_the_entries_auditlog_writes_for_a_save():
    user = get_user_model().objects.create_user(email="b@example.com", password="x-Secret-1", first_name="Bo")
    product = factories.create_product(title="Lamp", upc="L-1", price=Decimal("12.50"), num_in_stock=4)
    objects = [type(obj).objects.get(pk=obj.pk) for obj in (user, product, product.stockrecords.get())]
    saved = _create_entries()
    AuditLogEntry.objects.all().delete()

    written = audit_creates_record(objects=objects)

    bulk = _create_entries()
    assert written == 3 and len(bulk) == 3 and set(bulk) <= set(saved)
    for key, (name, changes) in bulk.items():
        assert "password" not in changes and "date_created" not in changes
        assert (name, changes) == saved[key], key


def test_entries_written_in_bulk_keep_awkward_text_and_their_context_exactly():
    """The bulk writer (a COPY on PostgreSQL) stores what a save stores, whatever the text holds."""
    staff = get_user_model().objects.create_user(email="staff@example.com", password="x-Secret-1")
    awkward = 'Say "hi"\\ to\ttabs,\nlines, \\N, commas; ünïcode ✓ and {"json": [1]}'
    product = factories.create_product(title="Plain", upc="AWK-1")
    product.title = awkward

    with audit_context(source=Source.IMPORT, actor=staff, cid="import:7", remote_addr="203.0.113.9"):
        written = audit_values_record(model=Product, rows=[(product, {"title": ("Plain", awkward)})])

    entry = AuditLogEntry.objects.get_for_object(product).latest("pk")
    assert written == 1
    assert entry.changes == {"title": ["Plain", awkward]} and entry.object_repr == awkward
    assert (entry.source, entry.actor_id, entry.actor_email) == (Source.IMPORT, staff.pk, "staff@example.com")
    assert (entry.cid, entry.remote_addr, entry.action) == ("import:7", "203.0.113.9", AuditLogEntry.Action.UPDATE)
    assert abs(entry.timestamp - timezone.now()) < timedelta(minutes=1)


def test_a_task_records_its_changes_as_task():
    product = factories.create_product(title="Lamp")

    _retitle(product.pk, "Desk lamp")

    entry = AuditLogEntry.objects.get_for_object(product).filter(action=AuditLogEntry.Action.UPDATE).get()
    assert entry.source == Source.TASK and entry.cid.startswith("task:") and entry.actor is None


def test_old_entries_are_purged_by_the_daily_task(settings):
    factories.create_product(title="Old")
    factories.create_product(title="New", price=Decimal("2.00"))
    AuditLogEntry.objects.filter(object_repr="Old").update(timestamp=timezone.now() - timedelta(days=800))
    settings.AUDITTRAIL_RETENTION_DAYS = 730

    purged = audit_entries_expire.call_local()

    assert purged >= 1
    assert not AuditLogEntry.objects.filter(object_repr="Old").exists()
    assert AuditLogEntry.objects.filter(object_repr="New").exists()
    assert audit_entries_purge(older_than_days=0) == 0  # 0 keeps everything


def test_no_audited_field_looks_like_a_secret(settings):
    assert checks.secret_fields_tracked() == []
    assert checks.audit_trail_keeps_no_secrets() == []


def test_the_check_fails_on_an_audited_secret(monkeypatch):
    user_model = get_user_model()
    kept = [f for f in auditlog.get_model_fields(user_model)["exclude_fields"] if f != "password"]
    monkeypatch.setitem(auditlog._registry[user_model], "exclude_fields", kept)

    errors = checks.audit_trail_keeps_no_secrets()

    assert [e.id for e in errors] == ["audittrail.E001"] and "accounts.User.password" in errors[0].msg


def test_anonymising_a_person_keeps_what_happened_but_not_who_they_were(staff_client):
    person = get_user_model().objects.create_user(email="ann@example.com", password="x-Secret-1", first_name="Ann")
    url = reverse("admin:accounts_user_change", args=[person.pk])
    staff_client.post(url, change_form_data(staff_client.get(url), last_name="Smith"))
    staff = get_user_model().objects.get(email="staff@example.com")
    with audit_context(source=Source.ADMIN, actor=person):
        staff.first_name = "Changed"
        staff.save()

    user_anonymise(user=get_user_model().objects.get(pk=person.pk))

    stored = str(list(AuditLogEntry.objects.values_list("changes", "object_repr", "actor_email")))
    assert "ann@example.com" not in stored and "Ann" not in stored and "Smith" not in stored
    renamed = AuditLogEntry.objects.get_for_object(person).filter(changes__has_key="last_name", source="admin").get()
    assert renamed.changes["last_name"] == ["", "(anonymised)"]  # what happened stays
    assert AuditLogEntry.objects.filter(actor_id=person.pk).exists()
