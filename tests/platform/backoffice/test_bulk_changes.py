"""Bulk actions with a page of their own (field, preview, confirm) and their undo, through the admin."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test import factories

from apibase.money import money_display
from backoffice.models import BulkChange
from backoffice.roles import MERCHANDISER, ORDER_MANAGER
from tests.platform.backoffice.bulk_steps import (
    CHANGELIST,
    bulk_confirm,
    bulk_post,
    bulk_preview,
    preview_digest,
)

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
BULK_CHANGES = "/admin/backoffice/bulkchange/"


def _preview_rows(response) -> dict[int, tuple[str, str]]:
    """{stock record id: (before, after)} as the preview table shows them."""
    rows = re.findall(
        r'data-row="(\d+)">.*?<td[^>]*data-before>([^<]*)</td>\s*<td[^>]*data-after>([^<]*)</td>',
        response.content.decode(),
        re.S,
    )
    return {int(pk): (before.strip(), after.strip()) for pk, before, after in rows}


def _messages(response) -> list[str]:
    return [re.sub(r"<[^>]+>", "", str(m)) for m in get_messages(response.wsgi_request)]


def _undo(client, change) -> list[str]:
    response = client.post(BULK_CHANGES, {"action": "undo", "_selected_action": [change.pk], "index": 0}, follow=True)
    assert response.redirect_chain and response.status_code == 200
    return _messages(response)


def test_the_product_list_action_bar_has_no_extra_fields(staff_client):
    factories.create_product(title="Lamp", price=Decimal("20.00"))

    page = staff_client.get(CHANGELIST).content.decode()

    assert 'name="percent"' not in page and 'name="category"' not in page
    assert 'value="change_prices"' in page and 'value="move_to_category"' in page


def test_choosing_a_bulk_action_opens_a_page_with_only_its_field(staff_client):
    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"))
    chosen = {"action": "change_prices", "_selected_action": [lamp.pk], "index": 0}

    prices = staff_client.post(CHANGELIST, chosen)
    move = staff_client.post(CHANGELIST, {**chosen, "action": "move_to_category"})

    assert prices.status_code == 200 and move.status_code == 200
    assert 'name="percent"' in prices.content.decode() and 'name="category"' not in prices.content.decode()
    assert 'name="category"' in move.content.decode() and 'name="percent"' not in move.content.decode()
    assert "Preview the changes" in prices.content.decode()
    assert lamp.stockrecords.get().price == Decimal("20.00")


def test_the_preview_shows_every_stock_record_before_and_after_and_writes_nothing(staff_client):
    parent = factories.create_product(title="Mug", structure="parent")
    blue = factories.create_product(title="Mug blue", parent=parent, price=Decimal("9.99"), partner_name="A")
    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"), partner_name="A")

    preview = bulk_preview(staff_client, "change_prices", [parent, lamp], percent="12.5")

    content = preview.content.decode()
    assert preview.status_code == 200
    assert "2 stock records of 2 products will change (+12.5%)" in content
    assert _preview_rows(preview) == {
        blue.stockrecords.get().pk: ("£9.99", "£11.24"),
        lamp.stockrecords.get().pk: ("£20.00", "£22.50"),
    }
    assert "Mug blue · A" in content and "Lamp · A" in content
    assert blue.stockrecords.get().price == Decimal("9.99")
    assert not BulkChange.objects.exists()


def test_what_the_preview_showed_is_exactly_what_confirm_wrote(staff_client):
    prices = ["9.99", "0.05", "0.01", "1.15", "33.33", "1000.00", "12.345"]
    products = [factories.create_product(title=f"P{i}", price=Decimal(p)) for i, p in enumerate(prices)]
    for percent in ("12.5", "-99", "-33.33", "7"):
        preview = bulk_preview(staff_client, "change_prices", products, percent=percent)
        shown = _preview_rows(preview)

        done = bulk_post(
            staff_client, "change_prices", products, percent=percent, _stage="confirm", _digest=preview_digest(preview)
        )

        assert done.status_code == 302
        written = {r.pk: money_display(r.price, r.price_currency) for r in StockRecord.objects.filter(pk__in=shown)}
        assert written == {pk: after for pk, (_, after) in shown.items()}
        recorded = BulkChange.objects.first().rows.all()
        assert {row.target_id: row.after for row in recorded} == {
            pk: str(StockRecord.objects.get(pk=pk).price) for pk in shown
        }


def test_confirm_after_the_prices_changed_writes_nothing_and_previews_again(staff_client):
    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"))
    preview = bulk_preview(staff_client, "change_prices", [lamp], percent="10")
    StockRecord.objects.filter(product=lamp).update(price=Decimal("30.00"))

    stale = bulk_post(
        staff_client, "change_prices", [lamp], percent="10", _stage="confirm", _digest=preview_digest(preview)
    )

    assert stale.status_code == 409
    assert "changed since the preview" in stale.content.decode()
    assert list(_preview_rows(stale).values()) == [("£30.00", "£33.00")]
    assert lamp.stockrecords.get().price == Decimal("30.00")
    assert not BulkChange.objects.exists()


def test_a_price_change_is_recorded_and_undone_within_a_day(staff_client, staff_user):
    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"))
    bulk_confirm(staff_client, "change_prices", [lamp], percent="-10")
    change = BulkChange.objects.get()

    listed = staff_client.get(BULK_CHANGES).content.decode()
    undone = _undo(staff_client, change)
    again = _undo(staff_client, change)

    assert (change.created_by, change.summary) == (staff_user, "-10%")
    assert "Prices changed by a percentage" in listed and "Can be undone" in listed
    assert undone == ["Prices changed by a percentage -10%: 1 row(s) restored."]
    assert lamp.stockrecords.get().price == Decimal("20.00")
    assert "already undone" in again[0]
    assert "Undone" in staff_client.get(BULK_CHANGES).content.decode()


def test_undo_leaves_rows_changed_since_alone_and_says_why(staff_client):
    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"))
    chair = factories.create_product(title="Chair", price=Decimal("50.00"))
    bulk_confirm(staff_client, "change_prices", [lamp, chair], percent="10")
    StockRecord.objects.filter(product=chair).update(price=Decimal("49.00"))  # edited on the product screen

    messages = _undo(staff_client, BulkChange.objects.get())

    assert messages[0].endswith("1 row(s) restored.")
    assert "Chair" in messages[1] and "changed since (now 49.00, not 55.00)" in messages[1]
    assert lamp.stockrecords.get().price == Decimal("20.00")
    assert chair.stockrecords.get().price == Decimal("49.00")
    detail = staff_client.get(f"{BULK_CHANGES}{BulkChange.objects.get().pk}/change/").content.decode()
    assert "changed since" in detail and "restored" in detail


def test_a_bulk_change_older_than_a_day_cannot_be_undone(staff_client):
    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"))
    bulk_confirm(staff_client, "change_prices", [lamp], percent="10")
    BulkChange.objects.update(created_at=timezone.now() - timedelta(hours=24, minutes=1))

    messages = _undo(staff_client, BulkChange.objects.get())

    assert "24 hours only" in messages[0]
    assert lamp.stockrecords.get().price == Decimal("22.00")
    assert "Too old to undo" in staff_client.get(BULK_CHANGES).content.decode()


def test_a_category_move_is_previewed_and_undone(staff_client):
    old, garden = Category.add_root(name="Old"), Category.add_root(name="Garden")
    lamp, chair = factories.create_product(title="Lamp"), factories.create_product(title="Chair")
    lamp.categories.add(old)

    preview = bulk_preview(staff_client, "move_to_category", [lamp, chair], category=garden.pk)
    bulk_confirm(staff_client, "move_to_category", [lamp, chair], category=garden.pk)
    moved = (list(lamp.categories.all()), list(chair.categories.all()))
    messages = _undo(staff_client, BulkChange.objects.get())

    assert _preview_rows(preview) == {lamp.pk: ("Old", "Garden"), chair.pk: ("-", "Garden")}
    assert moved == ([garden], [garden])
    assert messages == ["Products moved to a category to Garden: 2 row(s) restored."]
    assert list(lamp.categories.all()) == [old] and list(chair.categories.all()) == []


def test_the_preview_queries_do_not_grow_with_the_rows(staff_client):
    few = [factories.create_product(title=f"A{i}", price=Decimal("10.00")) for i in range(2)]
    many = few + [factories.create_product(title=f"B{i}", price=Decimal("10.00")) for i in range(10)]
    bulk_preview(staff_client, "change_prices", few, percent="5")  # warm session and content types

    counts = []
    for products in (few, many):
        with CaptureQueriesContext(connection) as queries:
            response = bulk_preview(staff_client, "change_prices", products, percent="5")
        assert len(_preview_rows(response)) == len(products)
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


def test_the_bulk_changes_list_queries_do_not_grow_with_the_changes(staff_client):
    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"))
    bulk_confirm(staff_client, "change_prices", [lamp], percent="1")
    staff_client.get(BULK_CHANGES)

    counts = []
    for more in (1, 6):
        for _ in range(more):
            bulk_confirm(staff_client, "change_prices", [lamp], percent="1")
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(BULK_CHANGES).status_code == 200
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


@pytest.mark.usefixtures("roles")
def test_merchandisers_see_and_undo_bulk_changes_and_order_managers_do_not(client):
    def member(role):
        user = get_user_model().objects.create_user(email=f"{role[:5].lower()}@example.com", password="x-long-pass-1")
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(Group.objects.get(name=role))
        return user

    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"))
    client.force_login(member(MERCHANDISER))
    bulk_confirm(client, "change_prices", [lamp], percent="10")
    undone = _undo(client, BulkChange.objects.get())
    client.force_login(member(ORDER_MANAGER))

    assert undone == ["Prices changed by a percentage +10%: 1 row(s) restored."]
    assert lamp.stockrecords.get().price == Decimal("20.00")
    assert client.get(BULK_CHANGES).status_code == 403
