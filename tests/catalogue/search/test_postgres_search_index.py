"""On PostgreSQL, product search is served by the GIN index on the search index's `title || body`
(catalogue migration 0034, ADR 54): the ranked query names exactly the indexed expression."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.search.ranking import product_ids_ranked, product_ids_ranked_by_backend
from tests.catalogue.conftest import product_with_stock

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index and ts_rank are PostgreSQL's"),
]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make the planner show the index
        cursor.execute("EXPLAIN " + sql)  # the captured query, its values inlined
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("autocomplete", [False, True])
def test_the_ranked_search_uses_a_gin_index(autocomplete):
    product_with_stock("Oxford Shirt")
    with CaptureQueriesContext(connection) as queries:
        query = "oxford shir" if autocomplete else "oxford shirt"
        assert product_ids_ranked(query=query, limit=10, autocomplete=autocomplete)
    ranked = next(q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"])
    plan = _plan(ranked)
    expected = "wagtailsear_autocom_476c89_gin" if autocomplete else "hypex_search_title_body_gin"
    assert expected in plan, plan


def test_ranking_in_sql_finds_what_the_backend_finds_title_hits_first():
    shirt = product_with_stock("Red Oxford Shirt")
    trousers = product_with_stock("Linen Trousers", description="Wear them with a red shirt.")
    ids = product_ids_ranked(query="red shirt", limit=10)
    assert ids == [shirt.pk, trousers.pk]
    assert set(ids) == set(product_ids_ranked_by_backend(query="red shirt", limit=10))
