"""A transactional test ends with `database_reset` (tests/database_reset.py): the same rows Django's flush
leaves, in a few statements."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from tests import database_reset

pytestmark = pytest.mark.django_db(transaction=True)


def _shop_writes() -> None:
    """Rows in several kinds of tables: a user, a page under the CMS root, a content type of its own."""
    get_user_model().objects.create_user(email="reset@example.com", password="x-x-x-x-x-x")
    Page.get_first_root_node().add_child(instance=Page(title="Reset me", slug="reset-me"))
    ContentType.objects.create(app_label="reset", model="leftover")


def _state() -> dict:
    """What the database holds, by table, keyed by what identifies a row rather than by its primary key
    (Django's flush recreates the baseline under new keys; the reset puts it back under the old ones)."""
    counts = {
        table: _count(table)
        for table in database_reset.tables_with_rows(connection, database_reset._tables(connection))
    }
    return {
        "counts": counts,
        "content_types": set(ContentType.objects.values_list("app_label", "model")),
        "permissions": set(Permission.objects.values_list("content_type__app_label", "codename")),
        "pages": set(Page.objects.values_list("path", "title", "content_type__model")),
        "sites": set(Site.objects.values_list("hostname", "is_default_site", "root_page__path")),
    }


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a table name
        return cursor.fetchone()[0]


def test_the_reset_leaves_what_djangos_flush_leaves():
    _shop_writes()
    database_reset._django_flush("default")
    after_flush = _state()

    database_reset.database_reset("default")  # the first in a process takes the baseline
    _shop_writes()
    database_reset.database_reset("default")
    after_reset = _state()

    assert after_reset == after_flush
    assert after_flush["content_types"] and after_flush["permissions"] and after_flush["pages"]
    assert ("reset", "leftover") not in after_reset["content_types"]
    assert not get_user_model().objects.exists()


def test_a_reset_is_a_few_statements_not_a_flush():
    database_reset.database_reset("default")  # the baseline exists from here on
    _shop_writes()
    with CaptureQueriesContext(connection) as reset:
        database_reset.database_reset("default")
    with CaptureQueriesContext(connection) as flush:
        database_reset._django_flush("default")
    baseline_tables = len(database_reset._baselines["default"][1])
    # Finding the tables with rows, a DELETE per such table (at most a dozen here) and an INSERT per
    # baseline table; Django's flush re-creates the baseline row by row in hundreds.
    assert len(reset) <= 2 + 12 + baseline_tables + 3
    assert len(flush) > 10 * len(reset)


def test_a_refused_reset_falls_back_to_djangos_flush(monkeypatch):
    database_reset.database_reset("default")
    _shop_writes()

    def refused(connection, tables):
        raise DatabaseError("a constraint that is not deferred")

    monkeypatch.setattr(database_reset, "_baseline_restore", refused)
    database_reset.database_reset("default")
    assert not get_user_model().objects.exists()
    assert ContentType.objects.filter(app_label="wagtailcore", model="page").exists()
    assert not ContentType.objects.filter(app_label="reset").exists()
