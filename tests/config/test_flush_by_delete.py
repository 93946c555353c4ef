"""Transactional tests on PostgreSQL are emptied by DELETE inside one transaction (tests/database_flush.py):
that relies on every foreign key being deferred, and must leave every table empty."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations
from oscar.test.factories import create_product, create_stockrecord

from tests.database_flush import sql_flush_by_truncate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the DELETE flush replaces PostgreSQL's TRUNCATE (DATABASE_URL=postgres://...)")


def test_every_foreign_key_is_deferrable_so_the_delete_order_does_not_matter():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'f' AND NOT condeferrable"
        )
        assert cursor.fetchall() == []


def _row_counts() -> dict[str, int]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names
            counts[table] = cursor.fetchone()[0]
    return counts


def _flushed_after_a_product_with_stock() -> dict[str, int]:
    create_stockrecord(create_product(title="Kept until the flush"), price="9.99", num_in_stock=3)
    call_command("flush", verbosity=0, interactive=False)
    return _row_counts()


def test_flush_leaves_exactly_what_djangos_truncate_leaves(monkeypatch):
    by_delete = _flushed_after_a_product_with_stock()
    assert by_delete["catalogue_product"] == by_delete["partner_stockrecord"] == by_delete["partner_partner"] == 0

    monkeypatch.setattr(DatabaseOperations, "sql_flush", sql_flush_by_truncate)
    # What post_migrate re-creates after any flush (content types, permissions, the CMS root) is the same.
    assert _flushed_after_a_product_with_stock() == by_delete
