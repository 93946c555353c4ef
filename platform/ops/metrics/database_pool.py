"""The scraped process's PostgreSQL connection pool (ADR 0028) at scrape time, from psycopg_pool's own
statistics: its size, free connections, requests waiting, and the totals of requests served, waited for,
and refused after `DATABASE_POOL_TIMEOUT`. Per process (labelled with the pid): a pool belongs to one
process, and in the chart one web process runs per pod."""

from __future__ import annotations

import os

from django.db import connections
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily


def _pool_stats() -> dict | None:
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return None
    pool = type(connection)._connection_pools.get(connection.alias)  # only a pool this process opened
    return pool.get_stats() if pool is not None else None


def database_pool_collect():
    stats = _pool_stats()
    if stats is not None:
        yield from database_pool_families(stats, pid=os.getpid())


def database_pool_families(stats: dict, *, pid: int):
    """The families for psycopg_pool's `get_stats()` of the process `pid`."""
    pid = str(pid)
    gauges = {
        "hypex_db_pool_size": ("Connections the pool holds now (in use and free).", "pool_size"),
        "hypex_db_pool_available": ("Free connections in the pool.", "pool_available"),
        "hypex_db_pool_max": ("The pool's upper bound (DATABASE_POOL_MAX_SIZE).", "pool_max"),
        "hypex_db_pool_requests_waiting": ("Requests waiting for a connection now.", "requests_waiting"),
    }
    for name, (documentation, key) in gauges.items():
        family = GaugeMetricFamily(name, documentation, labels=["pid"])
        family.add_metric([pid], stats.get(key, 0))
        yield family
    counters = {
        "hypex_db_pool_requests": ("Connections handed out by the pool.", "requests_num"),
        "hypex_db_pool_requests_queued": ("Requests that had to wait for a free connection.", "requests_queued"),
        "hypex_db_pool_timeouts": ("Requests refused after DATABASE_POOL_TIMEOUT (answered 503).", "requests_errors"),
    }
    for name, (documentation, key) in counters.items():
        family = CounterMetricFamily(name, documentation, labels=["pid"])
        family.add_metric([pid], stats.get(key, 0))
        yield family
    wait = CounterMetricFamily(
        "hypex_db_pool_wait_seconds", "Time requests spent waiting for a connection.", labels=["pid"]
    )
    wait.add_metric([pid], stats.get("requests_wait_ms", 0) / 1000)
    yield wait
