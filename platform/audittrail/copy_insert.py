"""Insert many new rows of one model without reading anything back: PostgreSQL's `COPY ... FROM STDIN`,
`bulk_create` elsewhere (ADR 56 addendum).

On PostgreSQL, Django's `bulk_create` sends each column as one array parameter (`UNNEST`), which psycopg
quotes on the client, value by value, in Python: for audit entries, whose `changes` are JSON full of
quotes to escape, that quoting was a quarter of an import's time. `COPY` sends the rows in psycopg's own
(compiled) row format instead. Each value is prepared by its field exactly as `bulk_create` prepares it
(`pre_save(add=True)`, then `get_db_prep_save`), so the stored rows are the same. The objects get no
primary keys back: use it only for rows nothing reads back in the same operation (audit entries).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router


def objects_copy_insert(model: type[models.Model], objects: Sequence[models.Model]) -> int:
    """Insert `objects` (new, unsaved instances of `model`) in one statement; returns how many."""
    if not objects:
        return 0
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=500)
        return len(objects)
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for obj in objects:
            copy.write_row([field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in fields])
    return len(objects)
