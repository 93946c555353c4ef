"""On PostgreSQL, product search is served by GIN indexes on the search index (catalogue migration
0034 adds the one on `title || body`, ADR 54): the ranked query filters on exactly the indexed
expressions, and PostgreSQL answers those filters from the indexes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.categories import create_from_breadcrumbs

from catalogue.listing_rows import card_rows
from catalogue.search.ranking import product_ids_ranked, product_ids_ranked_by_backend
from tests.catalogue.conftest import product_with_stock

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index and ts_rank are PostgreSQL's"),
]

CASES = [
    # (autocomplete, the filter the ranked query must write, the index that serves it)
    (False, '(e."title" || e."body") @@ to_tsquery(', "hypex_search_title_body_gin"),
    (True, "e.\"autocomplete\" @@ to_tsquery('simple', ", "wagtailsear_autocom_476c89_gin"),
]


@pytest.mark.parametrize(("autocomplete", "condition", "index"), CASES)
def test_the_ranked_search_filters_on_an_indexed_expression(autocomplete, condition, index):
    product_with_stock("Oxford Shirt")
    with CaptureQueriesContext(connection) as queries:
        assert product_ids_ranked(
            query="oxford shir" if autocomplete else "oxford shirt", limit=10, autocomplete=autocomplete
        )
    ranked = next(q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"])
    assert condition in ranked

    where = condition + "%s)"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make the planner show the index
        cursor.execute(f'EXPLAIN SELECT e."id" FROM "wagtailsearch_indexentry" e WHERE {where}', ["'oxford'"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan


def test_ranking_in_sql_finds_what_the_backend_finds_title_hits_first():
    shirt = product_with_stock("Red Oxford Shirt")
    trousers = product_with_stock("Linen Trousers", description="Wear them with a red shirt.")
    ids = product_ids_ranked(query="red shirt", limit=10)
    assert ids == [shirt.pk, trousers.pk]
    assert set(ids) == set(product_ids_ranked_by_backend(query="red shirt", limit=10))


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make the planner show its way
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_pages_stock_records_are_read_through_the_product_index():
    """card_rows reads the stock records of the page's products and variants by `product_id = ANY(ARRAY(
    ...))` (sql.InArray): through the index, where an OR over the join read every record (ADR 54 addendum)."""
    products = [product_with_stock(f"Oxford Shirt {n}") for n in range(3)]
    with CaptureQueriesContext(connection) as queries:
        card_rows(products=[product.pk for product in products])
    stock = next(q["sql"] for q in queries.captured_queries if 'FROM "partner_stockrecord"' in q["sql"])
    assert "= ANY(ARRAY(SELECT" in stock
    assert "Index Scan using partner_stockrecord_product_id" in _plan(stock) or (
        "Bitmap Index Scan on partner_stockrecord_product_id" in _plan(stock)
    )


def _facet_statement(api_client, query: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(f"/api/v1/products/?facets=1{query}").status_code == 200
    return next(q["sql"] for q in queries.captured_queries if q["sql"].startswith("WITH listing0"))


def test_a_searchs_facet_counts_read_values_stock_and_categories_through_the_product_indexes(api_client):
    """A search's matches are at most 1,000 products: the counts read their variants, attribute values,
    stock records and categories by index (`through_index`); browsing the whole catalogue joins instead
    (measured on 10,000 products, ADR 54 second addendum)."""
    shirts = create_from_breadcrumbs("Clothing > Shirts")
    for n in range(3):
        product_with_stock(f"Oxford Shirt {n}").categories.add(shirts)

    searched, browsed = _facet_statement(api_client, "&q=shirt"), _facet_statement(api_client, "")

    for column in ('v."parent_id"', 'v."product_id"', 's."product_id"', 'pc."product_id"'):
        assert f"{column} = ANY(ARRAY(SELECT id FROM" in searched, column
    plan = _plan(searched)  # (a handful of values: the planner may take their attribute index instead)
    for index in ("catalogue_product_parent_id", "partner_stockrecord_product_id",
                  "catalogue_productcategory_product_id"):  # fmt: skip
        assert index in plan, (index, plan)
    assert "ANY(ARRAY(SELECT id FROM" not in browsed
