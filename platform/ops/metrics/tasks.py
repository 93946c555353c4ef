"""huey: task runs, failures, retries and duration by task name (from huey's signals, in whichever
process runs the task: a worker, or the web process under HUEY_MODE=immediate), and the queue depth at
scrape time."""

from __future__ import annotations

import time

from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR, SIGNAL_EXECUTING, SIGNAL_RETRYING
from prometheus_client.core import GaugeMetricFamily

from .families import TASK_DURATION, TASK_RUNS

_started: dict[str, float] = {}


def _task_name(task) -> str:
    return getattr(task, "name", type(task).__name__)


def _finished(task) -> None:
    started = _started.pop(task.id, None)
    if started is not None:
        TASK_DURATION.labels(task=_task_name(task)).observe(time.perf_counter() - started)


def task_signal_record(signal, task, exc=None) -> None:
    if signal == SIGNAL_EXECUTING:
        _started[task.id] = time.perf_counter()
    elif signal == SIGNAL_COMPLETE:
        _finished(task)
        TASK_RUNS.labels(task=_task_name(task), outcome="success").inc()
    elif signal == SIGNAL_ERROR:
        _finished(task)
        if not task.retries:  # with retries left, huey sends SIGNAL_RETRYING next
            TASK_RUNS.labels(task=_task_name(task), outcome="failure").inc()
    elif signal == SIGNAL_RETRYING:
        TASK_RUNS.labels(task=_task_name(task), outcome="retry").inc()


def task_metrics_install(huey) -> None:
    """Connect the recorder to `huey` (idempotent)."""
    if getattr(huey, "_hypex_metrics_installed", False):
        return
    huey.signal(SIGNAL_EXECUTING, SIGNAL_COMPLETE, SIGNAL_ERROR, SIGNAL_RETRYING)(task_signal_record)
    huey._hypex_metrics_installed = True


def task_queue_collect(huey):
    """Scrape time: tasks waiting in the queue and scheduled for later (none under immediate mode)."""
    if huey.immediate:
        return
    pending = GaugeMetricFamily("hypex_task_queue_depth", "huey tasks waiting in the queue for a worker.")
    pending.add_metric([], huey.pending_count())
    scheduled = GaugeMetricFamily("hypex_task_scheduled", "huey tasks scheduled to run later (retries, ETAs).")
    scheduled.add_metric([], huey.scheduled_count())
    yield pending
    yield scheduled
