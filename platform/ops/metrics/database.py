"""Database work per request: every connection gets an execute wrapper (installed when it is created)
that adds each query's count and time to the request's `QueryStats`, found through a context variable.
asgiref copies the context into the thread a sync view runs in, so the queries of an ASGI request are
counted wherever they run; queries outside a request (tasks, commands) are not counted here."""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

_current: ContextVar[QueryStats | None] = ContextVar("hypex_query_stats", default=None)


@dataclass
class QueryStats:
    count: int = 0
    seconds: float = 0.0


@contextmanager
def query_stats_collect():
    stats = QueryStats()
    token = _current.set(stats)
    try:
        yield stats
    finally:
        _current.reset(token)


def query_stats_wrapper(execute, sql, params, many, context):
    stats = _current.get()
    if stats is None:
        return execute(sql, params, many, context)
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        stats.count += 1
        stats.seconds += time.perf_counter() - started


def query_stats_install(*, sender=None, connection, **kwargs) -> None:
    """`connection_created` receiver: wrap this connection's queries (once per connection object)."""
    if query_stats_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(query_stats_wrapper)
