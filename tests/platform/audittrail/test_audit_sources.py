"""Each door a staff change comes through is recorded with who, what (before/after) and from where."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from audittrail.models import AuditLogEntry, Source
from tests.platform.backoffice.admin_forms import change_form_data

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return AuditLogEntry.objects.get_for_object(obj).order_by("pk")


def test_admin_form_save_records_actor_source_and_before_after(staff_client, staff_user, make_product):
    product = make_product(title="Old title")
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    page = staff_client.get(url)

    response = staff_client.post(url, change_form_data(page, title="New title"))

    assert response.status_code == 302
    entry = entries_for(product).filter(action=AuditLogEntry.Action.UPDATE).get()
    assert entry.changes["title"] == ["Old title", "New title"]
    assert entry.actor == staff_user
    assert entry.actor_email == staff_user.email
    assert entry.source == Source.ADMIN
    assert entry.cid  # the request id groups the save's changes


def test_storefront_requests_are_not_audited(client, make_product):
    product = make_product()
    AuditLogEntry.objects.all().delete()

    client.get("/")
    client.get(reverse("catalogue:detail", args=[product.slug, product.pk]))

    assert not AuditLogEntry.objects.exists()
