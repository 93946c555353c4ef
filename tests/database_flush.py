"""After a transactional test (`django_db(transaction=True)`, browser and live-server tests), Django
empties every table with `flush`. On PostgreSQL that is one `TRUNCATE` of all 165 tables, which gives
each table and index a new file: 1.2-2.2 s per test on this machine, for tables holding a handful of rows.
`DELETE FROM` each table in one transaction leaves the same empty tables in about 0.1 s (docs/adr/0038).

Django creates every foreign key on PostgreSQL `DEFERRABLE INITIALLY DEFERRED` (and no migration here
makes one that is not: tests/config/test_flush_by_delete.py checks), so the order of the deletes does not matter;
the keys are checked at commit, when every table is empty. A flush that must reset sequences or cascade
into tables outside the list keeps Django's `TRUNCATE`.
"""

from __future__ import annotations

from django.db.backends.postgresql.operations import DatabaseOperations

sql_flush_by_truncate = DatabaseOperations.sql_flush  # Django's own


def sql_flush_by_delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """Django's `sql_flush` contract (statements that empty `tables`), as one DELETE per table."""
    if reset_sequences or allow_cascade:
        return sql_flush_by_truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    statements = [f"{style.SQL_KEYWORD('SET CONSTRAINTS ALL DEFERRED')};"]
    for table in tables:
        statements.append(f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};")
    return statements if tables else []
