"""Ranked ids for search words: the one place the handler and the suggestions ask the index.

`product_ids_ranked` returns the ids of browsable products whose index entries match every word, most
relevant first; `page_ids_ranked` those of live, public CMS pages (the search box's page suggestions).
They go through Wagtail's search backend, except on its database backends, where one ranked SQL query
over the backend's own index table answers instead (the same matches: tests hold the two to the same
result set):

- SQLite (the embedded default): the backend scores every candidate with a correlated full-text
  subquery and compares text object ids with integer keys (10 s for "shirt" on 10,000 products,
  bench/README.md); the FTS5 index answers in milliseconds, bm25 weighted towards the title.
- PostgreSQL: the backend matches `title || body` row by row (no index can serve it) and builds every
  matching Product to read its id; here the GIN index on that expression (catalogue migration 0034)
  finds the entries and `ts_rank`, with the backend's weights (title A, UPC B, the rest D), orders
  them in the same query (ADR 54).

For pages the backend's own way cost most of a suggestion (ADR 54, third addendum): it read every view
restriction, built its query through the ORM and, when no title began with the letters, a second one
for whole words. The fast path writes `.live().public()` and "not the tree's root" as SQL conditions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from oscar.core.loading import get_model
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.search.backends import get_search_backend

Product = get_model("catalogue", "Product")

WORD = re.compile(r"\w+", re.UNICODE)
# bm25 column weights in the FTS table's column order (autocomplete, body, title): a title hit counts most.
SEARCH_WEIGHTS = (0.0, 1.0, 3.0)
AUTOCOMPLETE_WEIGHTS = (1.0, 0.0, 0.0)


@dataclass(frozen=True)
class _Listed:
    """What a ranked query may answer: rows of `table` (aliased `p` in the SQL), indexed under
    `content_type_ids`, that meet `condition` (SQL on `p`, written from model metadata)."""

    table: str
    content_type_ids: tuple[int, ...]
    condition: str


def _products_listed() -> _Listed:
    return _Listed(
        table=Product._meta.db_table,
        content_type_ids=(ContentType.objects.get_for_model(Product).pk,),
        condition='p."is_public" AND p."parent_id" IS NULL',
    )


def _pages_listed() -> _Listed:
    """Live pages but the tree's root, none under a view restriction (Wagtail's `.live().public()`:
    a restricted page's path starts its descendants'), indexed as any page model."""
    pages, restrictions = Page._meta.db_table, PageViewRestriction._meta.db_table
    types = ContentType.objects.get_for_models(*get_page_models())  # the manager's cache: no query once warm
    return _Listed(
        table=pages,
        content_type_ids=tuple(sorted(content_type.pk for content_type in types.values())),
        condition=(
            f'p."live" AND p."depth" <> 1 AND NOT EXISTS (SELECT 1 FROM "{restrictions}" r '  # noqa: S608 - names from model metadata
            f'JOIN "{pages}" rp ON rp."id" = r."page_id" '
            f'WHERE SUBSTR(p."path", 1, LENGTH(rp."path")) = rp."path")'
        ),
    )


def _in(values: tuple[int, ...]) -> str:
    return ", ".join(["%s"] * len(values))


def _match_expression(words: list[str], *, columns: str, prefix_last: bool) -> str:
    """An FTS5 MATCH string: every word quoted (so no user text is FTS syntax), all required."""
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    if prefix_last:
        quoted[-1] += "*"
    return "{" + columns + "} : (" + " AND ".join(quoted) + ")"


def _sqlite_fast_path_applies(backend) -> bool:
    if connection.vendor != "sqlite":
        return False
    from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry, SQLiteSearchBackend  # noqa: PLC0415 - raises off SQLite

    return isinstance(backend, SQLiteSearchBackend) and SQLiteFTSIndexEntry is not None


def _sqlite_ranked(words: list[str], *, limit: int, autocomplete: bool, listed: _Listed) -> list[int]:
    from modelsearch.backends.database.sqlite.sqlite import IndexEntry, SQLiteFTSIndexEntry  # noqa: PLC0415 - raises off SQLite

    fts = SQLiteFTSIndexEntry._meta.db_table
    entries = IndexEntry._meta.db_table
    columns = "autocomplete" if autocomplete else "title body"
    weights = AUTOCOMPLETE_WEIGHTS if autocomplete else SEARCH_WEIGHTS
    sql = (
        f'SELECT p."id" FROM "{fts}" f '  # noqa: S608 - table names come from model metadata, values are parameters
        f'JOIN "{entries}" e ON e."id" = f."rowid" '
        f'JOIN "{listed.table}" p ON p."id" = CAST(e."object_id" AS INTEGER) '
        f'WHERE "{fts}" MATCH %s AND e."content_type_id" IN ({_in(listed.content_type_ids)}) AND {listed.condition} '
        f'ORDER BY bm25("{fts}", %s, %s, %s), p."id" DESC LIMIT %s'
    )
    params = [
        _match_expression(words, columns=columns, prefix_last=autocomplete),
        *listed.content_type_ids,
        *weights,
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _postgres_fast_path_applies(backend) -> bool:
    if connection.vendor != "postgresql":
        return False
    from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend  # noqa: PLC0415 - needs psycopg

    return isinstance(backend, PostgresSearchBackend)


def _tsquery_text(words: list[str], *, prefix_last: bool) -> str:
    """A `to_tsquery` string of `words`, all required, each quoted (words are `\\w+`: no quote or
    operator can be in one), the last one a prefix when `prefix_last`; as the backend writes it."""
    quoted = ["'" + word.lower() + "'" for word in words]
    if prefix_last:
        quoted[-1] += ":*"
    return " & ".join(quoted)


def _postgres_ranked(words: list[str], *, limit: int, autocomplete: bool, listed: _Listed) -> list[int]:
    from modelsearch.backends.database.postgres.postgres import IndexEntry  # noqa: PLC0415 - needs psycopg
    from modelsearch.backends.database.postgres.weights import get_sql_weights  # noqa: PLC0415 - needs psycopg

    entries = IndexEntry._meta.db_table
    # The same vectors, dictionaries and weights as the backend; the expressions must stay exactly
    # those of the GIN indexes: `e."autocomplete"` and `(e."title" || e."body")` (migration 0034).
    if autocomplete:
        vector, tsquery = 'e."autocomplete"', "to_tsquery('simple', %s)"
    else:
        vector, tsquery = '(e."title" || e."body")', "to_tsquery(%s)"
    sql = (
        f'SELECT p."id" FROM "{entries}" e '  # noqa: S608 - table names come from model metadata, values are parameters
        f'JOIN "{listed.table}" p ON p."id" = CAST(e."object_id" AS integer) '
        f'WHERE e."content_type_id" IN ({_in(listed.content_type_ids)}) AND {vector} @@ {tsquery} '
        f"AND {listed.condition} "
        f'ORDER BY ts_rank(%s::float4[], {vector}, {tsquery}) DESC, p."id" DESC LIMIT %s'
    )
    text = _tsquery_text(words, prefix_last=autocomplete)
    params = [*listed.content_type_ids, text, get_sql_weights(), text, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def product_ids_ranked_by_backend(*, query: str, limit: int, autocomplete: bool = False) -> list[int]:
    """`product_ids_ranked` through Wagtail's search backend alone (any backend; the fast paths'
    reference, and what `bench/search_bench.py` compares them with)."""
    terms = search_terms(query)
    if not terms:
        return []
    backend = get_search_backend()
    browsable = Product.objects.browsable()
    results = (
        backend.autocomplete(terms, browsable) if autocomplete else backend.search(terms, browsable, operator="and")
    )
    return [product.pk for product in results[:limit]]


def search_terms(query: str) -> str:
    """`query` as plain words for a search backend: its own syntax (quotes, brackets, `*`, `-`, `^`, `:`,
    and operators such as AND/OR/NOT/NEAR, lower-cased) and control characters never reach the engine,
    so a shopper's query is always text, never a syntax error. "" when it has no words."""
    return " ".join(word.lower() for word in WORD.findall(query))


def page_ids_ranked_by_backend(*, query: str, limit: int, autocomplete: bool = False) -> list[int]:
    """`page_ids_ranked` through Wagtail's search backend alone (any backend; the fast paths' reference)."""
    terms = search_terms(query)
    if not terms:
        return []
    pages = Page.objects.live().public().exclude(depth=1)
    backend = get_search_backend()
    results = backend.autocomplete(terms, pages) if autocomplete else backend.search(terms, pages, operator="and")
    return [page.pk for page in results[:limit]]


def _ranked(query: str, *, limit: int, autocomplete: bool, listed, by_backend) -> list[int]:
    """The fast path for this database's search backend, with `listed()` as the target, else `by_backend`."""
    words = WORD.findall(query)
    if not words:
        return []
    backend = get_search_backend()
    if _sqlite_fast_path_applies(backend):
        return _sqlite_ranked(words, limit=limit, autocomplete=autocomplete, listed=listed())
    if _postgres_fast_path_applies(backend):
        return _postgres_ranked(words, limit=limit, autocomplete=autocomplete, listed=listed())
    return by_backend(query=query, limit=limit, autocomplete=autocomplete)


def product_ids_ranked(*, query: str, limit: int, autocomplete: bool = False) -> list[int]:
    """Ids of browsable products matching every word of `query` (the last one as a prefix when
    `autocomplete`), most relevant first, at most `limit`."""
    return _ranked(
        query, limit=limit, autocomplete=autocomplete, listed=_products_listed, by_backend=product_ids_ranked_by_backend
    )


def page_ids_ranked(*, query: str, limit: int, autocomplete: bool = False) -> list[int]:
    """Ids of live, public CMS pages (not the tree's root) matching every word of `query` (the last one
    as a prefix when `autocomplete`), most relevant first, at most `limit`."""
    return _ranked(
        query, limit=limit, autocomplete=autocomplete, listed=_pages_listed, by_backend=page_ids_ranked_by_backend
    )
