"""A server worker's first-request costs, paid before it takes traffic (docs/adr/0053).

A fresh process pays once for what every later request reuses: importing the views behind the URLconf
(156 ms), and on the first search, Wagtail's search backend, the content types and the queries' first
compilation (86 ms CPU more than the next search). Measured with `bench/search_socket_bench.py --crowd 200`
on a fresh pair of workers: 292 of the 351 round trips over 50 ms were asked in the run's first two
seconds, while every worker thread paid it at once.

`config/gunicorn.py` calls `warm_up()` in each worker after it loads the application and before it serves.
A warm-up that fails (a database away at that moment) is logged and the worker starts anyway, cold (it
answers /readyz honestly); nothing is written and nothing is cached.

It also opens the cache's Redis connections, one for each thread that may use them at once, so the first
requests served together do not each open one (ADR 53 addendum; `ops.cache_backends.cache_connections_open`).

Then `freeze_startup_objects()` moves everything the worker has built so far (modules, URL patterns,
templates, model metadata: hundreds of thousands of objects that live as long as the process) out of
the garbage collector's reach. Measured on a warm worker (`wrk -t1 -c2` on /healthz, one worker,
PostgreSQL + Redis): each full collection walked them all and took 188 ms, every request in flight
waited for it, and the 99th percentile was 138 ms; with them frozen a full collection took under 1.1 ms
and the 99th percentile was 3.6 ms. Python's documentation recommends `gc.freeze()` for this case.
"""

from __future__ import annotations

import gc
import logging
import time

from django.conf import settings
from django.db import DatabaseError, connections
from django.urls import get_resolver

from catalogue.suggest import search_backend_warm_up
from ops.cache_backends import cache_connections_open

logger = logging.getLogger("ops.server")


def warm_up() -> float:
    """Load the URLconf and run one uncached search; returns the milliseconds it took."""
    started = time.perf_counter()
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    try:
        search_backend_warm_up()
    except DatabaseError as error:
        logger.warning("warm-up skipped the search: the database is unavailable (%s)", error)
    except Exception:  # noqa: BLE001 - a warm-up never stops a worker from serving; it starts cold
        logger.exception("warm-up failed; the worker starts cold")
    finally:
        connections.close_all()  # the serving threads take their own connections from the pool
    # One cache connection for each thread that may use it at once (the loop's, the HTTP pool's, the
    # websockets' database threads'): the first crowd of a new worker does not open them in its requests.
    cache_connections_open(1 + settings.HTTP_THREADS + settings.WEBSOCKET_DB_THREADS)
    elapsed = (time.perf_counter() - started) * 1000
    logger.info("worker warmed up in %.0f ms", elapsed)
    return elapsed


def freeze_startup_objects() -> int:
    """Collect what start-up left behind, then exempt every object alive now from future collections
    (see the module docstring); returns how many were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
