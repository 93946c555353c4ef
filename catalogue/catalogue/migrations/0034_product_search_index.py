"""A GIN index on `title || body` of the search index's entries (PostgreSQL only, ADR 54).

Wagtail's database backend on PostgreSQL stores each product's weighted tsvectors in its own index
table: `title` (the title, weight A) and `body` (UPC B; description, category and product type names
D), each with a GIN index of its own. A search needs every word in either column, so it matches their
concatenation, which neither index serves: each search read every entry. This index serves
`(title || body) @@ query` (catalogue/search/ranking.py writes exactly that expression). On other
databases the operation does nothing (SQLite searches its FTS5 table).
"""

from django.db import migrations

INDEX = "hypex_search_title_body_gin"


def _table(apps) -> str:
    return apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "{_table(apps)}" USING gin (("title" || "body"))')


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0033_product_reviews_count"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
