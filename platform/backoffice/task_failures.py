"""Remember huey tasks that failed for good, in huey's own storage, so staff can see and retry them.

huey keeps a failed task's error as its result, keyed by the task id, but not the task itself. A
receiver of huey's SIGNAL_ERROR stores, for a task with no retries left, a record under
`hypex:failed:<task id>`: name, error, traceback, time and the serialized task message (which is what
a retry enqueues again). The record lives in the same storage as the queue (Redis or SQLite), so every
worker's failures show on the monitor page. Installed on the project's huey in BackofficeConfig.ready.
"""

from __future__ import annotations

import datetime as dt
import traceback

from huey.signals import SIGNAL_ERROR

FAILURE_PREFIX = "hypex:failed:"


def failure_key(task_id: str) -> str:
    return f"{FAILURE_PREFIX}{task_id}"


def _record_failure(huey, signal, task, exc=None) -> None:
    if task.retries:  # huey will run it again; only final failures are recorded
        return
    record = {
        "id": task.id,
        "name": task.name,
        "error": repr(exc) if exc is not None else "",
        "traceback": "".join(traceback.format_exception(exc)) if exc is not None else "",
        "failed_at": dt.datetime.now(dt.UTC).isoformat(),
        "message": huey.serialize_task(task),
    }
    huey.put(failure_key(task.id), record)


def task_failures_install(huey) -> None:
    """Connect the failure recorder to `huey` (idempotent)."""
    if getattr(huey, "_hypex_failures_installed", False):
        return

    def receiver(signal, task, exc=None):
        _record_failure(huey, signal, task, exc)

    huey.signal(SIGNAL_ERROR)(receiver)
    huey._hypex_failures_installed = True
