"""`InArray`: a column's membership in a set of ids written so PostgreSQL reads it through the column's
index, whatever the planner guesses of the set's size (ADR 54, addendum).

`column IN (SELECT ...)` lets PostgreSQL join: for the page's or the search's few ids it guessed a hash
join and read whole tables (every stock record for a page of 20 cards, every attribute value and
product for the facet counts, bench/README.md). `column = ANY(ARRAY(SELECT ...))` runs the subquery
once first (an InitPlan) and looks its ids up in the index. A list of ids goes as one array parameter.
Elsewhere (SQLite) it is the plain `IN`.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, F, Func, QuerySet, Subquery


class InArray(Func):
    """`<column> = ANY(ARRAY(<subquery>))` (`IN (<subquery>)` off PostgreSQL), a filter condition:
    `queryset.filter(InArray("product_id", other.values("pk")))`; `ids` may be a list of ids instead."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids: QuerySet | list[int]) -> None:
        self.ids = list(ids) if not isinstance(ids, QuerySet) else None
        expressions = [F(column)] if self.ids is not None else [F(column), Subquery(ids)]
        super().__init__(*expressions)

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        if self.ids is not None:
            if not self.ids:
                return "1 = 0", ()
            if connection.vendor == "postgresql":
                return f"{column} = ANY(%s::integer[])", (*params, self.ids)
            return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", (*params, *self.ids)
        subquery, subquery_params = compiler.compile(self.source_expressions[1])  # "(SELECT ...)"
        if connection.vendor == "postgresql":
            return f"{column} = ANY(ARRAY{subquery})", (*params, *subquery_params)
        return f"{column} IN {subquery}", (*params, *subquery_params)


def in_named_ids(column: str, name: str) -> str:
    """Raw SQL: `column`'s membership in the `id` column of the named subquery (a `WITH` entry) `name`,
    as `InArray` writes it: through `column`'s index on PostgreSQL, `IN` elsewhere. For a subquery of a
    few ids (a search's matches); over most of a table, a join reads less. Both arguments are names
    from model metadata or our own, never input."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(ARRAY(SELECT id FROM {name}))"  # noqa: S608 - names, not values
    return f"{column} IN (SELECT id FROM {name})"  # noqa: S608
