"""Plain-row inserts for seeding: one `executemany` of value tuples per table.

Django's `bulk_create` builds a model instance per row and prepares and compiles every field of every
row into the statement; at 10,000 demo products (about 130,000 rows) that was most of the seed's time.
Here each row is a dict of the columns that differ (attnames: `product_id`, `price` ...); every other
column takes the model's default, prepared once per call. Only for the seed's own trusted rows: no
`save()`, no signals, no validation, and a default is computed once, so a column that must be unique
has to be given in every row (unless it defaults to NULL).
"""

from __future__ import annotations

from django.db import connection


def rows_insert(model, rows: list[dict]) -> None:
    """Insert `rows` (dicts with the same keys) into `model`'s table."""
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    given = rows[0].keys()
    blank = model()
    defaults = {}
    for field in fields:
        if field.attname in given:
            continue
        default = field.get_db_prep_save(field.pre_save(blank, add=True), connection)
        if field.unique and default is not None:  # NULLs never clash
            raise ValueError(f"{model.__name__}.{field.name} is unique: give it in every row")
        defaults[field.attname] = default
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 (names from the model)
    prepared = [
        (field.attname, field.attname in defaults, field.get_db_prep_save, defaults.get(field.attname))
        for field in fields
    ]
    params = [
        [default if is_default else prep(row[name], connection) for name, is_default, prep, default in prepared]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
