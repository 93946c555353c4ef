"""The text exposition of this process's metrics, or of every process on the machine.

Without `PROMETHEUS_MULTIPROC_DIR` the process's own registry is shown (tests, `make run`). With it,
prometheus_client writes every process's samples to files in that directory and the exposition sums
them, so any web process answers for all the web and huey processes of its machine or pod (ADR 0033).
Scrape-time collectors (queue depth, outbox backlog, support waiting) read the database or Redis when
scraped; they are added once, whichever mode.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector

from .families import SCRAPE_COLLECTOR_ERRORS

logger = logging.getLogger("ops.metrics")

ScrapeCollector = Callable[[], Iterable[Metric]]
_scrape_collectors: dict[str, ScrapeCollector] = {}


def scrape_collector_register(name: str, collect: ScrapeCollector) -> None:
    """Add a function that yields metric families computed at scrape time (idempotent by name)."""
    _scrape_collectors[name] = collect


class _ScrapeTime:
    """Runs each scrape-time collector; one that fails is counted and left out, never fails the scrape."""

    def collect(self):
        for name, collect in list(_scrape_collectors.items()):
            try:
                families = list(collect())
            except Exception:  # noqa: BLE001 - a down database must not hide the other metrics
                logger.warning("metrics collector %s failed", name, exc_info=True)
                SCRAPE_COLLECTOR_ERRORS.labels(collector=name).inc()
                continue
            yield from families


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def metrics_render(*, scrape_time: bool = True) -> tuple[bytes, str]:
    """The exposition body and its content type. `scrape_time=False` leaves out the collectors that
    read the database (a huey worker's port: the web processes report those)."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        MultiProcessCollector(registry)
        body = b""
    else:
        body = generate_latest(REGISTRY)
    if scrape_time:
        registry.register(_ScrapeTime())
    # The classic text format (0.0.4): every Prometheus 2.x and 3.x server reads it.
    return body + generate_latest(registry), CONTENT_TYPE_PLAIN_0_0_4
