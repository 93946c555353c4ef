"""In multiprocess mode a process that ended leaves its files behind: its counters must keep counting in
the sums, its open-websocket gauge must not. A starting process tidies the live gauges of processes that
no longer run, and any left under its own pid (a restarted container's daphne is pid 1 again)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from ops.metrics.exposition import multiprocess_dead_tidy
from tests.metrics import Scrape

# A process with one open websocket and three requests counted, as prometheus_client writes them.
WRITER = """
from prometheus_client import Counter, Gauge
Gauge("hypex_websocket_connections", "open", ["route"], multiprocess_mode="livesum").labels(route="/ws/").inc()
Counter("hypex_http_requests_total", "requests").inc(3)
"""


def _process_that_wrote_metrics(directory) -> int:
    """Its pid (it has ended when this returns)."""
    subprocess.run([sys.executable, "-c", WRITER], env={"PROMETHEUS_MULTIPROC_DIR": str(directory)}, check=True)
    (gauge,) = directory.glob("gauge_livesum_*.db")
    return int(gauge.stem.rsplit("_", 1)[1])


def _sums(directory) -> Scrape:
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(directory))
    return Scrape(generate_latest(registry).decode())


def test_ended_processes_lose_their_live_gauges_and_keep_their_counters(tmp_path, monkeypatch):
    # Given the files of a process that ended, a copy of them under a running process's pid, and a copy
    # under this process's own pid (left by an earlier process that had it)
    ended = _process_that_wrote_metrics(tmp_path)
    running = subprocess.Popen(["sleep", "30"])  # noqa: S603, S607
    try:
        shutil.copy(tmp_path / f"gauge_livesum_{ended}.db", tmp_path / f"gauge_livesum_{running.pid}.db")
        shutil.copy(tmp_path / f"gauge_livesum_{ended}.db", tmp_path / f"gauge_livesum_{os.getpid()}.db")
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
        assert _sums(tmp_path).value("hypex_websocket_connections", route="/ws/") == 3

        # When a process starts
        tidied = multiprocess_dead_tidy()

        # Then only the running process's socket is counted, and no request is lost
        assert sorted(tidied) == sorted([ended, os.getpid()])
        assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
            [f"counter_{ended}.db", f"gauge_livesum_{running.pid}.db"]
        )
        sums = _sums(tmp_path)
        assert sums.value("hypex_websocket_connections", route="/ws/") == 1
        assert sums.value("hypex_http_requests_total") == 3
    finally:
        running.kill()
        running.wait()


def test_without_a_multiprocess_directory_there_is_nothing_to_tidy(monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)

    assert multiprocess_dead_tidy() == []
