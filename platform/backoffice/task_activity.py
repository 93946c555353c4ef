"""What huey's workers are doing, recorded in huey's own storage for the task monitor (ADR 0037).

Beside the project's queue, under a second name in the same storage (Redis: its own hashes next to
huey's; SQLite: rows of its own queue name in the same file; MemoryHuey: this process's memory), the
monitor keeps:

- `worker:<host>:<pid>`: each consumer process's heartbeat (host, pid, workers, worker type, periodic
  on/off, started at, last beat), written every `TASK_MONITOR_HEARTBEAT_SECONDS` by a thread of the
  consumer (`MonitoredConsumer`). A worker whose last beat is older than `STALE_AFTER_BEATS` beats is
  shown as gone; its record (and what it was running) is removed `TASK_MONITOR_WORKER_EXPIRY_SECONDS`
  after its last beat.
- `running:<task id>`: a task between huey's SIGNAL_EXECUTING and the signal that ends its run.
- `recent:ok:<slot>` and `recent:error:<slot>`: the last `RECENT_SLOTS` runs that succeeded and that
  raised, with duration; a ring of slots numbered by one of huey's counters, so the lists are capped
  without reading them.

It writes to huey's storage only (a few keys per task), never to the database. Because the second name
holds nothing else, reading it is bounded (workers + running + 2 x RECENT_SLOTS keys), unlike huey's
own result store. A failure to write here (Redis away) is logged and never fails the task.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time

from django.conf import settings
from huey import signals as huey_signals
from huey.consumer import Consumer
from huey.storage import MemoryStorage

logger = logging.getLogger("backoffice.tasks")

#: Runs kept per list (successes, errors).
RECENT_SLOTS = 100
#: A worker that missed this many beats is shown as gone.
STALE_AFTER_BEATS = 3
OK, ERROR = "ok", "error"
#: Signals that end a run started by SIGNAL_EXECUTING (the first one seen ends it). RETRYING alone
#: follows a RetryTask; after an error or a timeout it comes second and finds nothing to end.
END_SIGNALS = (
    huey_signals.SIGNAL_COMPLETE,
    huey_signals.SIGNAL_ERROR,
    huey_signals.SIGNAL_TIMEOUT,
    huey_signals.SIGNAL_CANCELED,
    huey_signals.SIGNAL_LOCKED,
    huey_signals.SIGNAL_RATE_LIMITED,
    huey_signals.SIGNAL_INTERRUPTED,
    huey_signals.SIGNAL_RETRYING,
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def heartbeat_seconds() -> int:
    return int(getattr(settings, "TASK_MONITOR_HEARTBEAT_SECONDS", 15))


def worker_expiry_seconds() -> int:
    return int(getattr(settings, "TASK_MONITOR_WORKER_EXPIRY_SECONDS", 3600))


def this_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def activity_storage(huey):
    """The storage the monitor writes to: huey's own backend under `<queue name>_monitor`.

    Shares huey's Redis connection pool; opens the same SQLite file; in immediate mode (MemoryHuey)
    it is this process's memory. Cached on the huey instance, per huey storage object (immediate mode
    swaps the storage)."""
    cached = getattr(huey, "_hypex_activity_storage", None)
    if cached is not None and cached[0] is huey.storage:
        return cached[1]
    base = huey.storage
    name = f"{base.name}_monitor"
    if isinstance(base, MemoryStorage):
        storage = MemoryStorage(name)
    elif hasattr(base, "pool"):  # RedisStorage and its subclasses
        storage = type(base)(name, connection_pool=base.pool)
    else:
        storage = type(base)(name, **huey.storage_kwargs)
    huey._hypex_activity_storage = (base, storage)
    return storage


def _put(huey, key: str, record: dict) -> None:
    activity_storage(huey).put_data(key, huey.serializer.serialize(record))


def activity_records(huey) -> dict[str, dict]:
    """Every record the monitor holds, by key (bounded: see the module docstring)."""
    storage = activity_storage(huey)
    return {str(key): huey.serializer.deserialize(raw) for key, raw in storage.result_items().items()}


# -- Runs -----------------------------------------------------------------------------------------


class RunRecorder:
    """huey signal receiver: `running:<id>` while a task runs, then one slot of a recent list."""

    def __init__(self, huey) -> None:
        self.huey = huey
        self._lock = threading.Lock()
        self._started: dict[str, tuple[float, dt.datetime]] = {}

    def __call__(self, signal, task, *args, **kwargs) -> None:
        try:
            if signal == huey_signals.SIGNAL_EXECUTING:
                self._begin(task)
            elif signal in END_SIGNALS:
                self._end(signal, task, args[0] if args else None)
        except Exception:  # noqa: BLE001 - the monitor never fails a task (Redis away, a full disk)
            logger.warning("task monitor: could not record %s of %s", signal, task.id, exc_info=True)

    def _begin(self, task) -> None:
        started_at = utcnow()
        with self._lock:
            self._started[task.id] = (time.monotonic(), started_at)
        record = {
            "id": task.id,
            "name": task.name,
            "worker": this_worker_id(),
            "thread": threading.current_thread().name,
            "started_at": started_at.isoformat(),
        }
        _put(self.huey, f"running:{task.id}", record)

    def _end(self, signal, task, exc) -> None:
        with self._lock:
            started = self._started.pop(task.id, None)
        if started is None:
            return  # not started here, or already ended by an earlier signal of the same run
        storage = activity_storage(self.huey)
        storage.delete_data(f"running:{task.id}")
        outcome = OK if signal == huey_signals.SIGNAL_COMPLETE else ERROR
        if exc is not None:
            error = repr(exc)
        elif outcome == ERROR:
            error = f"({signal})"
        else:
            error = ""
        record = {
            "id": task.id,
            "name": task.name,
            "worker": this_worker_id(),
            "started_at": started[1].isoformat(),
            "finished_at": utcnow().isoformat(),
            "duration": round(time.monotonic() - started[0], 4),
            "signal": signal,
            "error": error[:500],
            "retries_left": task.retries,
        }
        slot = storage.incr(f"recent:{outcome}") % RECENT_SLOTS
        _put(self.huey, f"recent:{outcome}:{slot}", record)


def task_activity_install(huey) -> None:
    """Record runs of `huey`'s tasks and give its consumer a heartbeat (idempotent)."""
    if getattr(huey, "_hypex_activity_installed", False):
        return
    huey.signal(huey_signals.SIGNAL_EXECUTING, *END_SIGNALS)(RunRecorder(huey))
    huey.create_consumer = lambda **options: MonitoredConsumer(huey, **options)
    huey._hypex_activity_installed = True


def recent_runs_purge(huey) -> int:
    """Forget both recent lists; returns how many records were removed."""
    storage = activity_storage(huey)
    removed = 0
    for outcome in (OK, ERROR):
        for slot in range(RECENT_SLOTS):
            removed += bool(storage.delete_data(f"recent:{outcome}:{slot}"))
        storage.delete_counter(f"recent:{outcome}")
    return removed


# -- Workers --------------------------------------------------------------------------------------


class WorkerHeartbeat:
    """A daemon thread in a consumer process: writes `worker:<host>:<pid>` every interval, and removes
    the records of workers (and their running tasks) gone for longer than the expiry."""

    def __init__(self, huey, *, workers: int, worker_type: str, periodic: bool) -> None:
        self.huey = huey
        self.worker_id = this_worker_id()
        self.record = {
            "id": self.worker_id,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "workers": workers,
            "worker_type": worker_type,
            "periodic": periodic,
            "started_at": utcnow().isoformat(),
        }
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self) -> None:
        _put(self.huey, f"worker:{self.worker_id}", {**self.record, "last_beat": utcnow().isoformat()})
        workers_expired_remove(self.huey)

    def _run(self) -> None:
        interval = heartbeat_seconds()
        while not self._stop.is_set():
            try:
                self.beat()
            except Exception:  # noqa: BLE001 - storage away: try again next beat
                logger.warning("task monitor: heartbeat of %s not written", self.worker_id, exc_info=True)
            self._stop.wait(interval)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="hypex-heartbeat", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """A clean stop: the worker leaves the list at once instead of turning "gone"."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            activity_storage(self.huey).delete_data(f"worker:{self.worker_id}")
        except Exception:  # noqa: BLE001
            logger.warning("task monitor: could not remove worker %s", self.worker_id, exc_info=True)


def workers_expired_remove(huey, *, now: dt.datetime | None = None) -> int:
    """Remove workers whose last beat is older than the expiry, and the running records they left
    (a worker killed mid-task). Returns how many workers were removed."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(seconds=worker_expiry_seconds())
    records = activity_records(huey)
    expired = {
        record["id"]
        for key, record in records.items()
        if key.startswith("worker:") and dt.datetime.fromisoformat(record["last_beat"]) < cutoff
    }
    if not expired:
        return 0
    storage = activity_storage(huey)
    for key, record in records.items():
        if (key.startswith("worker:") and record["id"] in expired) or (
            key.startswith("running:") and record.get("worker") in expired
        ):
            storage.delete_data(key)
    return len(expired)


class MonitoredConsumer(Consumer):
    """huey's consumer with a heartbeat (what `manage.py run_huey` runs once the monitor is installed)."""

    def start(self) -> None:
        super().start()
        self.heartbeat = WorkerHeartbeat(
            self.huey, workers=self.workers, worker_type=self.worker_type, periodic=self.periodic
        )
        self.heartbeat.start()

    def run(self) -> None:
        try:
            super().run()
        finally:
            heartbeat = getattr(self, "heartbeat", None)
            if heartbeat is not None:
                heartbeat.stop()
