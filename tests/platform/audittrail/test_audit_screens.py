"""The back office's audit screens through the test client: an object's History, the searchable and
filterable Audit log, who may see them."""

from __future__ import annotations

import warnings
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test import factories

from audittrail.context import audit_context
from audittrail.models import AuditLogEntry, Source
from backoffice.roles import AUDITOR, MERCHANDISER, ORDER_MANAGER, staff_roles_apply
from tests.platform.backoffice.admin_forms import change_form_data

Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db
LOG = "/admin/audittrail/auditlogentry/"


def _staff(email: str, role: str):
    staff_roles_apply()  # the migration made the role groups; a transactional test's reset removes them
    member = get_user_model().objects.create_user(email=email, password="x-Secret-1")
    member.is_staff = True
    member.save()
    member.groups.add(Group.objects.get(name=role))
    return member


def _retitle(client, product, title: str) -> None:
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    assert client.post(url, change_form_data(client.get(url), title=title)).status_code == 302


def test_the_history_link_shows_who_changed_what_through_every_door(staff_client, staff_user):
    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"))
    _retitle(staff_client, lamp, "Desk lamp")
    record = lamp.stockrecords.get()
    with audit_context(source=Source.IMPORT, actor=staff_user, cid="import:7"):
        record.price = Decimal("25.00")
        record.save()

    page = staff_client.get(reverse("admin:catalogue_product_history", args=[lamp.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "History: Desk lamp" in html
    assert "Lamp → Desk lamp" in html and "Back office" in html
    assert "20.00 → 25.00" in html and "Import" in html and "import:7" in html  # its stock record's change
    assert staff_user.email in html
    assert f"{LOG}?object={lamp.pk}" in html  # the superuser may open the whole log


def test_an_order_history_shows_its_status_changes(staff_client):
    order = factories.create_order()
    with audit_context(source=Source.ADMIN):
        order.status = "Cancelled"
        order.save()

    page = staff_client.get(reverse("admin:order_order_history", args=[order.pk]))

    assert page.status_code == 200 and "→ Cancelled" in page.content.decode()


def test_the_log_lists_filters_and_searches(staff_client, staff_user):
    lamp = factories.create_product(title="Lamp")
    chair = factories.create_product(title="Chair")
    _retitle(staff_client, lamp, "Desk lamp")
    with audit_context(source=Source.BULK, actor=staff_user, cid="bulk:3"):
        chair.is_public = False
        chair.save()
    product_type = f"{AuditLogEntry.objects.filter(object_repr='Chair').first().content_type_id}"

    everything = staff_client.get(LOG)
    by_source = staff_client.get(LOG, {"source__exact": "bulk"})
    by_group = staff_client.get(LOG, {"cid": "bulk:3"})
    by_object = staff_client.get(LOG, {"object": str(lamp.pk), "model": product_type})
    by_actor = staff_client.get(LOG, {"actor": "staff@"})
    by_search = staff_client.get(LOG, {"q": "Desk"})
    by_date = staff_client.get(LOG, {"timestamp_from_0": "2000-01-01", "timestamp_from_1": "00:00"})

    for response in (everything, by_source, by_group, by_object, by_actor, by_search, by_date):
        assert response.status_code == 200
    assert "Desk lamp" in everything.content.decode() and "Chair" in everything.content.decode()
    assert list(by_source.context["cl"].result_list) == list(AuditLogEntry.objects.filter(source="bulk"))
    assert [e.object_repr for e in by_group.context["cl"].result_list] == ["Chair"]
    assert {e.object_pk for e in by_object.context["cl"].result_list} == {str(lamp.pk)}
    assert {e.actor_id for e in by_actor.context["cl"].result_list} == {staff_user.pk}
    assert [e.object_repr for e in by_search.context["cl"].result_list] == ["Desk lamp"]
    entry = AuditLogEntry.objects.filter(source="bulk").get()
    detail = staff_client.get(f"{LOG}{entry.pk}/change/")
    assert detail.status_code == 200 and "Bulk change" in detail.content.decode()


def test_the_log_is_read_only(staff_client):
    factories.create_product(title="Lamp")
    entry = AuditLogEntry.objects.first()

    assert staff_client.get(f"{LOG}add/").status_code == 403
    assert staff_client.post(f"{LOG}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()


def test_auditors_see_the_log_other_staff_do_not_customers_are_sent_to_sign_in(client, user):
    lamp = factories.create_product(title="Lamp")
    auditor = _staff("auditor@example.com", AUDITOR)
    manager = _staff("manager@example.com", ORDER_MANAGER)

    client.force_login(auditor)
    assert client.get(LOG).status_code == 200
    assert f'href="{LOG}"' in client.get("/admin/").content.decode()  # in the sidebar
    client.force_login(manager)
    assert client.get(LOG).status_code == 403
    assert f'href="{LOG}"' not in client.get("/admin/").content.decode()
    assert client.get(reverse("admin:catalogue_product_history", args=[lamp.pk])).status_code == 200  # may view
    client.force_login(user)
    assert client.get(LOG).status_code == 302
    assert client.get(reverse("admin:catalogue_product_history", args=[lamp.pk])).status_code == 302


def test_the_history_is_for_those_who_may_view_the_object(client):
    customer = get_user_model().objects.create_user(email="c@example.com", password="x-Secret-1")
    merchandiser = _staff("merch@example.com", MERCHANDISER)
    client.force_login(merchandiser)

    response = client.get(reverse("admin:accounts_user_history", args=[customer.pk]))

    assert response.status_code == 403


def test_a_missing_object_history_redirects(staff_client):
    response = staff_client.get(reverse("admin:catalogue_product_history", args=[999999]))

    assert response.status_code == 302


def test_the_date_range_reads_aware_times_and_refuses_what_is_not_a_date(staff_client):
    """The "from ... to" filter gives the ORM aware datetimes (no naive-datetime warning), and a bound
    that is not a date and a time sends the list to Django's "?e=1" error, never a 500 or a silent no-op."""
    factories.create_product(title="Lamp")
    recorded = AuditLogEntry.objects.count()
    assert recorded

    def listed(params: dict) -> int:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # "received a naive datetime"
            response = staff_client.get(LOG, params)
        assert response.status_code == 200
        return response.context["cl"].result_count

    now = timezone.now()
    assert listed({"timestamp_from_0": "2000-01-01", "timestamp_from_1": "00:00"}) == recorded
    assert listed({"timestamp_to_0": "2000-01-01", "timestamp_to_1": "00:00"}) == 0
    assert listed({
        "timestamp_from_0": f"{now:%Y-%m-%d}", "timestamp_from_1": f"{now - timedelta(minutes=5):%H:%M}",
        "timestamp_to_0": f"{now + timedelta(days=1):%Y-%m-%d}", "timestamp_to_1": "00:00",
    }) == recorded  # fmt: skip

    for odd in ("garbage", "2020-13-45", "9" * 40, "2020-01-01 99"):
        response = staff_client.get(LOG, {"timestamp_from_0": odd, "timestamp_from_1": "00:00"})
        assert response.status_code == 302 and response["Location"].endswith("?e=1"), odd
        cleared = staff_client.get(response["Location"])
        assert "is not a date and a time" in cleared.content.decode(), odd
    # NUL never reaches the screen: the request guard answers 400 first.
    assert staff_client.get(LOG, {"timestamp_from_0": "2020-01-01\x00", "timestamp_from_1": "00:00"}).status_code == 400
