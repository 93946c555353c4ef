"""Each door a staff change comes through is recorded with who, what (before/after) and from where:
the admin form, the staff API, an import, a bulk change (and its undo), a bulk action, a role change,
the CMS; storefront requests are not audited; a task and the shell say so."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test import factories

from audittrail.context import audit_context_current
from audittrail.models import AuditLogEntry, Source
from backoffice.models import BulkChange
from backoffice.roles import MERCHANDISER
from backoffice.services import product_publish, voucher_set_generate
from dataexchange.models import ImportJob
from tests.checkout.lifecycle import order, order_pay, paid_order  # noqa: F401 - fixtures
from tests.conftest import auth_header
from tests.platform.backoffice.admin_forms import change_form_data
from tests.platform.backoffice.bulk_steps import bulk_confirm
from tests.platform.backoffice.conftest import variant_family
from tests.platform.dataexchange.conftest import confirm, dry_run, shop, upload  # noqa: F401 - fixtures

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")
Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
Voucher = get_model("voucher", "Voucher")
VoucherSet = get_model("voucher", "VoucherSet")

pytestmark = pytest.mark.django_db
UPDATE, CREATE = AuditLogEntry.Action.UPDATE, AuditLogEntry.Action.CREATE


def entries_for(obj, **filters):
    return AuditLogEntry.objects.get_for_object(obj).filter(**filters).order_by("pk")


def test_admin_form_save_records_actor_source_and_before_after(staff_client, staff_user, make_product):
    product = make_product(title="Old title")
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    page = staff_client.get(url)

    response = staff_client.post(url, change_form_data(page, title="New title"))

    assert response.status_code == 302
    entry = entries_for(product, action=UPDATE).get()
    assert entry.changes["title"] == ["Old title", "New title"]
    assert (entry.actor, entry.actor_email, entry.source) == (staff_user, staff_user.email, Source.ADMIN)
    assert entry.cid == response["X-Request-ID"]  # the request's changes are one group
    assert entry.remote_addr == "127.0.0.1"


def test_storefront_requests_are_not_audited(client, user, make_product):
    product = make_product()
    AuditLogEntry.objects.all().delete()
    client.force_login(user)

    client.get("/")
    client.get(reverse("catalogue:detail", args=[product.slug, product.pk]))
    client.post("/api/v1/me/", {"first_name": "Changed"}, content_type="application/json")

    assert not AuditLogEntry.objects.exists()


def test_a_refund_through_the_staff_api_records_the_payment_event_and_status(api_client, staff_user, paid_order):  # noqa: F811
    response = api_client.post(
        f"/api/v1/staff/orders/{paid_order.number}/refunds/", {"reason": "damaged"}, format="json",
        **auth_header(staff_user),
    )  # fmt: skip

    assert response.status_code == 201
    status = entries_for(paid_order, action=UPDATE, changes__has_key="status", source=Source.API).get()
    assert status.changes["status"] == ["Paid", "Refunded"]
    assert (status.actor, status.source) == (staff_user, Source.API)  # the JWT user, found after the middleware
    refund = PaymentEvent.objects.get(order=paid_order, event_type__name="Refunded")
    created = entries_for(refund, action=CREATE).get()
    assert (created.actor, created.source, created.cid) == (staff_user, Source.API, status.cid)


def test_an_import_is_one_group_by_who_confirmed_it_listed_on_the_job_screen(
    shop,  # noqa: F811
    staff_client,
    staff_user,
    django_capture_on_commit_callbacks,
):
    record = factories.create_stockrecord(
        factories.create_product(title="Lamp", price=None), partner_sku="LAMP-1", price=Decimal("5.00"),
        num_in_stock=3,
    )  # fmt: skip
    rows = [{"partner": record.partner.code, "partner_sku": "LAMP-1", "price": "6.50", "price_currency": "GBP"}]
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/dataexchange/importjob/add/",
            {"resource": "prices", "format": "", "import_file": upload(rows, "csv")},
        )
    job = ImportJob.objects.get()
    assert not AuditLogEntry.objects.filter(cid=f"import:{job.pk}").exists()  # the dry run records nothing
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/admin/dataexchange/importjob/{job.pk}/confirm/")

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    entry = entries_for(record, action=UPDATE).get()
    assert entry.changes == {"price": ["5.00", "6.50"]}
    assert (entry.source, entry.actor, entry.cid) == (Source.IMPORT, staff_user, f"import:{job.pk}")
    assert entry.object_repr == f"LAMP-1 at {record.partner.code}"
    page = staff_client.get(f"/admin/dataexchange/importjob/{job.pk}/change/").content.decode()
    assert 'id="audit-group"' in page and "5.00 → 6.50" in page
    assert "?cid=import%3A" in page  # the whole group in the audit log


def test_an_import_of_new_products_records_each_creation_in_its_group(shop, dry_run, confirm, staff_user):  # noqa: F811
    rows = [{"upc": "BK-1", "product_class": "Book", "title": "First", "partner_sku": "BK-1", "price": "7.00",
             "num_in_stock": "2", "attr:pages": "100"}]  # fmt: skip
    job = confirm(dry_run("products", rows))

    product = Product.objects.get(upc="BK-1")
    created = entries_for(product, action=CREATE).get()
    assert (created.source, created.actor, created.cid) == (Source.IMPORT, staff_user, f"import:{job.pk}")
    assert created.changes["title"] == ["None", "First"]


def test_a_bulk_price_change_and_its_undo_are_recorded_as_bulk(staff_client, staff_user):
    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"))
    record = lamp.stockrecords.get()

    bulk_confirm(staff_client, "change_prices", [lamp], percent="-10")
    change = BulkChange.objects.get()
    staff_client.post("/admin/backoffice/bulkchange/", {"action": "undo", "_selected_action": [change.pk], "index": 0})

    done, undone = entries_for(record, action=UPDATE)
    assert done.changes == {"price": ["20.00", "18.00"]} and undone.changes == {"price": ["18.00", "20.00"]}
    for entry in (done, undone):
        assert (entry.source, entry.actor, entry.cid) == (Source.BULK, staff_user, f"bulk:{change.pk}")


def test_a_bulk_category_move_is_recorded_on_the_product(staff_client, staff_user):
    old, new = factories.CategoryFactory(name="Old"), factories.CategoryFactory(name="New")
    lamp = factories.create_product(title="Lamp")
    lamp.categories.add(old)
    AuditLogEntry.objects.all().delete()

    bulk_confirm(staff_client, "move_to_category", [lamp], category=str(new.pk))

    entry = entries_for(lamp).get()
    assert entry.changes == {"categories": ["Old", "New"]}
    assert (entry.source, entry.actor) == (Source.BULK, staff_user)
    assert AuditLogEntry.objects.count() == 1  # the link rows rewritten underneath are not noise


def test_publishing_in_bulk_records_each_product(staff_user):
    hidden = factories.create_product(title="Hidden", is_public=False)

    product_publish(products=Product.objects.filter(pk=hidden.pk))

    entry = entries_for(hidden, action=UPDATE).get()
    assert entry.changes == {"is_public": ["False", "True"]}
    assert entry.source == Source.BULK


def test_a_voucher_set_records_the_vouchers_it_creates_and_changes():
    offer = factories.ConditionalOfferFactory()
    now = timezone.now()
    voucher_set = VoucherSet.objects.create(
        name="Spring", count=2, code_length=8, start_datetime=now, end_datetime=now + timedelta(days=30)
    )
    voucher_set_generate(voucher_set=voucher_set, usage=Voucher.MULTI_USE, offers=[offer])
    voucher_set.name = "Summer"
    voucher_set.save()

    voucher_set_generate(voucher_set=voucher_set, usage=Voucher.MULTI_USE, offers=[offer])

    voucher = voucher_set.vouchers.order_by("pk").first()
    created, renamed = entries_for(voucher)
    assert created.action == CREATE and created.changes["name"] == ["None", "Spring - 1"]
    assert renamed.changes["name"] == ["Spring - 1", "Summer - 1"]


def test_a_role_change_records_the_membership_and_never_the_password(staff_client, staff_user):
    clerk = get_user_model().objects.create_user(email="clerk@example.com", password="first-Secret-1")
    merchandisers = Group.objects.get(name=MERCHANDISER)
    url = reverse("admin:accounts_user_change", args=[clerk.pk])
    page = staff_client.get(url)

    response = staff_client.post(url, change_form_data(page, groups=[str(merchandisers.pk)], is_staff="on"))
    clerk.set_password("second-Secret-2")
    clerk.save()

    assert response.status_code == 302
    entries = list(entries_for(clerk))
    membership = [e for e in entries if "groups" in e.changes]
    assert membership and membership[0].changes["groups"] == {
        "type": "m2m", "operation": "add", "objects": [MERCHANDISER],
    }  # fmt: skip
    assert membership[0].source == Source.ADMIN and membership[0].actor == staff_user
    assert any(e.changes.get("is_staff") == ["False", "True"] for e in entries)
    assert not AuditLogEntry.objects.filter(changes__has_key="password").exists()
    assert "Secret" not in str(list(AuditLogEntry.objects.values_list("changes", flat=True)))


def test_a_role_change_in_the_cms_is_recorded_as_cms(staff_client, staff_user):
    clerk = get_user_model().objects.create_user(email="clerk@example.com", password="first-Secret-1")
    merchandisers = Group.objects.get(name=MERCHANDISER)
    AuditLogEntry.objects.all().delete()

    response = staff_client.post(
        f"/cms/users/edit/{clerk.pk}/",
        {"email": clerk.email, "first_name": "Clerk", "last_name": "One", "is_active": "on",
         "groups": [str(merchandisers.pk)], "password1": "", "password2": ""},
    )  # fmt: skip

    assert response.status_code == 302, response.content[:500]
    entry = entries_for(clerk).filter(changes__has_key="groups").get()
    assert (entry.source, entry.actor) == (Source.CMS, staff_user)


def test_outside_requests_changes_say_shell_or_task(make_product):
    product = make_product(title="Shell")

    assert audit_context_current().source == Source.SHELL
    assert entries_for(product, action=CREATE).get().source == Source.SHELL


def test_the_variant_grid_records_each_cell_it_writes_in_bulk(staff_client, staff_user):
    parent, (small, _medium, large), options = variant_family()
    partner = Partner.objects.get(name="Main")
    url = reverse("admin:catalogue_product_change", args=[parent.pk])
    page = staff_client.get(url)
    grid = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.prefix == "children")
    size = next(name for name in grid.forms[0].fields if name.startswith("attr_"))
    AuditLogEntry.objects.all().delete()

    response = staff_client.post(
        url,
        change_form_data(
            page,
            **{
                f"children-0-price_{partner.pk}": "18.50",
                f"children-2-{size}": str(options["XL"].pk),
                "children-2-title": "Tee, size XL",
            },
        ),
    )

    assert response.status_code == 302
    price = entries_for(small.stockrecords.get()).get()
    assert price.changes == {"price": ["20.00", "18.50"]} and (price.source, price.actor) == (Source.ADMIN, staff_user)
    title = entries_for(large).get()
    assert title.changes["title"] == ["Tee, size L", "Tee, size XL"]
    value = entries_for(large.attribute_values.get()).get()
    assert value.changes == {"value_option": [str(options["L"].pk), str(options["XL"].pk)]}
    assert value.object_repr == "Tee, size XL: Size"
    history = staff_client.get(reverse("admin:catalogue_product_history", args=[parent.pk])).content.decode()
    assert "20.00 → 18.50" in history and "Tee, size L → Tee, size XL" in history  # the parent shows its family


def test_add_variants_records_the_stock_records_and_values_it_inserts_in_bulk(staff_client, staff_user):
    parent, _variants, _options = variant_family(sizes=("S",))
    partner = Partner.objects.get(name="Main")
    url = f"/admin/catalogue/product/{parent.pk}/add-variants/"
    page = staff_client.get(url)
    choices = page.context["form"].fields["values"].choices
    large = [value for _group, options in choices for value, label in options if label.split(" ")[0] == "L"]

    response = staff_client.post(url, {"values": large, "partner": partner.pk, "price": "24.00", "num_in_stock": "3"})

    assert response.status_code == 302
    variant = parent.children.get(title="Tee, size L")
    record = entries_for(variant.stockrecords.get(), action=CREATE).get()
    assert record.changes["price"] == ["None", "24.00"] and record.object_repr == "Tee, size L (TEE-L)"
    assert (record.source, record.actor) == (Source.ADMIN, staff_user)
    value = entries_for(variant.attribute_values.get(), action=CREATE).get()
    assert value.object_repr == "Tee, size L: Size"


def test_an_order_status_change_and_refund_on_the_order_screen_are_recorded(
    staff_client,
    staff_user,
    order,  # noqa: F811
    dummy_payments,
):
    order_pay(order)
    line = order.lines.first()

    refunded = staff_client.post(f"/admin/order/order/{order.pk}/refund/", {f"line_{line.pk}": "1", "reason": "x"})
    moved = staff_client.post(f"/admin/order/order/{order.pk}/status/", {"status": "Processing", "note": "packing"})

    assert refunded.status_code == moved.status_code == 302
    status = entries_for(order, action=UPDATE, changes__has_key="status", source=Source.ADMIN).get()
    assert status.changes["status"] == ["Paid", "Processing"] and status.actor == staff_user
    refund = entries_for(PaymentEvent.objects.get(order=order, event_type__name="Refunded"), action=CREATE).get()
    assert (refund.source, refund.actor) == (Source.ADMIN, staff_user)
    history = staff_client.get(reverse("admin:order_order_history", args=[order.pk])).content.decode()
    assert "Paid → Processing" in history
    assert "payment event: " in history.lower()  # the refund is in the order's History
