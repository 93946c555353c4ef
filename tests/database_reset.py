"""The end of a transactional test: the database goes back to what Django's `flush` leaves, in a few statements.

Django ends every `transaction=True` test (and every `live_server` test) with `manage.py flush`: a
`TRUNCATE` of all 165 tables on PostgreSQL (a `DELETE` per table on SQLite), then the `post_migrate`
signal, whose receivers put back the content types, permissions, the default site and the CMS root in
about 600 queries. On this 2-core machine under a suite's load that took 1-3 s per test on PostgreSQL
(a `TRUNCATE` makes new files for every table and index) and 0.2-0.3 s on SQLite; 137 tests pay it in
each suite (ADR 0038, addendum).

`database_reset(alias)` leaves the same rows:
- The first reset in a process is Django's own flush. The rows it leaves, the *post-migrate baseline*,
  are then copied once into tables of their own: schema `test_baseline` on PostgreSQL (not on the search
  path, so Django never sees it), `test_baseline__<table>` on SQLite (no model names them).
- Every later reset, in one transaction: one query finds the tables that hold any row, each is emptied
  with `DELETE` (foreign keys are deferred until the commit, as in Django's flush), and the baseline rows
  are inserted back with their primary keys (rows that triggers derive from others, such as SQLite's
  full-text index, come back through those triggers). Sequences are left alone, as Django's flush between tests
  leaves them (`reset_sequences=False`): the baseline's keys were taken from them, so none is reused.

A test class that asks for more than the plain flush (`available_apps`, `serialized_rollback`,
`reset_sequences`) gets Django's flush, and so does a reset that a non-deferred constraint refuses.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import SITE_CACHE
from django.core.management import call_command
from django.db import DatabaseError, connections, transaction
from django.test import TransactionTestCase

_BASELINE_SCHEMA = "test_baseline"
_SQLITE_PREFIX = "test_baseline__"

# alias -> (database name, the tables that hold baseline rows); the name guards against a copy made later.
_baselines: dict[str, tuple[str, list[str]]] = {}


def _is_postgres(connection) -> bool:
    return connection.vendor == "postgresql"


def _baseline_table(connection, table: str) -> str:
    if _is_postgres(connection):
        return f"{connection.ops.quote_name(_BASELINE_SCHEMA)}.{connection.ops.quote_name(table)}"
    return connection.ops.quote_name(f"{_SQLITE_PREFIX}{table}")


def _tables(connection) -> list[str]:
    """The tables Django's flush empties: every existing table a model names."""
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def tables_with_rows(connection, tables: list[str]) -> list[str]:
    """The tables among `tables` that hold at least one row, in one query."""
    if not tables:
        return []
    quote = connection.ops.quote_name
    probes = " UNION ALL ".join(
        f"SELECT {index} WHERE EXISTS (SELECT 1 FROM {quote(table)})" for index, table in enumerate(tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(probes)
        return [tables[row[0]] for row in cursor.fetchall()]


def _derived_tables(connection) -> set[str]:
    """Tables whose rows triggers write (SQLite's full-text index, `wagtailsearch_indexentry_fts`, follows
    `wagtailsearch_indexentry`): emptied like the others, never restored, or their rows would be doubled."""
    if _is_postgres(connection):
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
        return {row[0] for row in cursor.fetchall()}


def _baseline_take(connection) -> list[str]:
    """Copy the rows Django's flush left (the post-migrate baseline) into the baseline tables."""
    derived = _derived_tables(connection)
    tables = [table for table in tables_with_rows(connection, _tables(connection)) if table not in derived]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if _is_postgres(connection):
            cursor.execute(f"DROP SCHEMA IF EXISTS {_BASELINE_SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {_BASELINE_SCHEMA}")
        for table in tables:
            baseline = _baseline_table(connection, table)
            if not _is_postgres(connection):
                cursor.execute(f"DROP TABLE IF EXISTS {baseline}")
            cursor.execute(f"CREATE TABLE {baseline} AS SELECT * FROM {connection.ops.quote_name(table)}")
    return tables


def _baseline_restore(connection, baseline_tables: list[str]) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if _is_postgres(connection):
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables_with_rows(connection, _tables(connection)):
            cursor.execute(f"DELETE FROM {quote(table)}")
        for table in baseline_tables:
            cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {_baseline_table(connection, table)}")


def _django_flush(alias: str) -> None:
    call_command(
        "flush", verbosity=0, interactive=False, database=alias, reset_sequences=False, inhibit_post_migrate=False
    )


def database_reset(alias: str = "default") -> None:
    """Leave the database `alias` as Django's flush would after a transactional test (module docstring)."""
    connection = connections[alias]
    name = connection.settings_dict["NAME"]
    known = _baselines.get(alias)
    if known is not None and known[0] == name:
        try:
            _baseline_restore(connection, known[1])
        except DatabaseError:
            # A constraint checked row by row (not deferred) refused the order of the deletes: Django's
            # flush with post_migrate always works, and the baseline is taken again after it (below).
            pass
        else:
            # What post_migrate's receivers would have cleared: the rows are back under the same keys,
            # but a test may have cached a content type or site it created itself.
            ContentType.objects.clear_cache()
            SITE_CACHE.clear()
            return
    _django_flush(alias)
    _baselines[alias] = (name, _baseline_take(connection))


def fixture_teardown(test_case: TransactionTestCase) -> None:
    """`TransactionTestCase._fixture_teardown` with `database_reset` for the plain case."""
    plain = test_case.available_apps is None and not test_case.serialized_rollback and not test_case.reset_sequences
    if not plain:
        _original_fixture_teardown(test_case)
        return
    for alias in test_case._databases_names(include_mirrors=False):
        database_reset(alias)


_original_fixture_teardown = TransactionTestCase._fixture_teardown


def install() -> None:
    """Make every transactional test of this process end with `database_reset` (tests/conftest.py)."""
    TransactionTestCase._fixture_teardown = fixture_teardown
