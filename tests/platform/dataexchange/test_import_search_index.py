"""What an import writes is indexed for search after commit, in bulk: on PostgreSQL with the index rows
modelsearch's own `add_bulk` writes (ADR 0056), and the shop's search finds the imported products."""

import pytest
from django.db import connection
from modelsearch.backends import get_search_backends_with_name
from modelsearch.backends.database.postgres.postgres import IndexEntry
from oscar.core.loading import get_model

from catalogue.search.ranking import product_ids_ranked
from dataexchange.models import ImportJob
from tests.platform.dataexchange.test_product_batches import family_rows

Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-pass indexing is PostgreSQL's")


def _index_rows(ids) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT object_id, title::text, autocomplete::text, body::text, title_norm, title_text, body_text"
            f" FROM {IndexEntry._meta.db_table} WHERE object_id = ANY(%s) ORDER BY object_id",
            [[str(pk) for pk in ids]],
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def test_imported_products_have_the_index_rows_modelsearch_writes(shop, dry_run, confirm):
    job = confirm(dry_run("products", family_rows(15)))
    assert (job.status, job.rows_new) == (ImportJob.Status.DONE, 15)
    ids = list(Product.objects.filter(upc__startswith="T").values_list("pk", flat=True))
    imported = _index_rows(ids)

    IndexEntry.objects.filter(object_id__in=[str(pk) for pk in ids]).delete()
    products = list(Product.get_indexed_objects().filter(pk__in=ids))
    for _name, backend in get_search_backends_with_name(with_auto_update=True):
        backend.add_bulk(Product, products)

    assert len(imported) == 15 and any("Tees Clothing" in row[5] for row in imported.values())  # categories
    assert imported == _index_rows(ids)


def test_the_shop_search_finds_imported_products(shop, dry_run, confirm):
    confirm(dry_run("products", family_rows(10)))

    found = product_ids_ranked(query="tee", limit=50)

    parents = Product.objects.filter(upc__startswith="T", parent__isnull=True).values_list("pk", flat=True)
    assert set(found) >= set(parents) and len(parents) == 2
