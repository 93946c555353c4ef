"""A server worker's first-request costs, paid before it takes traffic (docs/adr/0053).

A fresh process pays once for what every later request reuses: importing the views behind the URLconf
(156 ms), and on the first search, Wagtail's search backend, the content types and the queries' first
compilation (86 ms CPU more than the next search). Measured with `bench/search_socket_bench.py --crowd 200`
on a fresh pair of workers: 292 of the 351 round trips over 50 ms were asked in the run's first two
seconds, while every worker thread paid it at once.

`config/gunicorn.py` calls `warm_up()` in each worker after it loads the application and before it serves.
A database that is away at that moment is logged and the worker starts anyway (it answers /readyz
honestly); nothing is written and nothing is cached.
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, connections
from django.urls import get_resolver

from catalogue.suggest import search_backend_warm_up

logger = logging.getLogger("ops.server")


def warm_up() -> float:
    """Load the URLconf and run one uncached search; returns the milliseconds it took."""
    started = time.perf_counter()
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    try:
        search_backend_warm_up()
    except DatabaseError as error:
        logger.warning("warm-up skipped the search: the database is unavailable (%s)", error)
    finally:
        connections.close_all()  # the serving threads take their own connections from the pool
    elapsed = (time.perf_counter() - started) * 1000
    logger.info("worker warmed up in %.0f ms", elapsed)
    return elapsed
