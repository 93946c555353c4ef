"""The text exposition of this process's metrics, or of every process on the machine.

Without `PROMETHEUS_MULTIPROC_DIR` the process's own registry is shown (tests, `make run`). With it,
prometheus_client writes every process's samples to files in that directory and the exposition sums
them, so any web process answers for all the web and huey processes of its machine or pod (ADR 0033).
Scrape-time collectors (queue depth, outbox backlog, support waiting) read the database or Redis when
scraped; they are added once, whichever mode.

A process that dies leaves its files behind. Its counters and histograms must stay (the totals would
drop otherwise), but its `live*` gauges (open websockets) would be summed forever: each process calls
`multiprocess_dead_tidy()` when it starts and removes those of processes no longer running (and any
left under its own pid by an earlier process).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

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


_LIVE_GAUGE_FILE = re.compile(r"^gauge_live[a-z]+_(\d+)\.db$")


def _process_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # running, as another user
        return True
    return True


def multiprocess_dead_tidy() -> list[int]:
    """Remove the live-gauge files of processes that are not running (prometheus_client's
    `mark_process_dead`), and this process's own: call once when the process starts, before it serves
    anything, when any file with its pid was left by an earlier process (a restarted container's daphne
    is pid 1 again, and the metrics volume outlives it). Counters and histograms are kept. Returns the
    pids tidied."""
    path = multiprocess_dir()
    if not path or not os.path.isdir(path):
        return []
    pids = {int(match.group(1)) for match in map(_LIVE_GAUGE_FILE.match, os.listdir(path)) if match}
    own = os.getpid()
    stale = sorted(pid for pid in pids if pid == own or not _process_running(pid))
    for pid in stale:
        try:
            mark_process_dead(pid, path)
        except FileNotFoundError:  # another process starting at the same time tidied it first
            pass
    if stale:
        logger.info("metrics: removed the live gauges of %d ended process(es) from %s", len(stale), path)
    return stale


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
