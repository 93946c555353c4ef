"""Reads for the task monitor (ADR 0017, 0037): huey's queue and schedule, failures kept for retry,
workers and their heartbeats, tasks running now, recent runs, how periodic tasks run, the outbox.

Times are aware UTC. Everything huey-side reads huey's storage (Redis or SQLite) and may raise one of
`services.QUEUE_OUTAGE_ERRORS` when Redis is away; the outbox reads the database only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ops.periodic_runner import periodic_runner_current
from sideeffects import selectors as outbox_selectors

from . import task_activity
from .task_failures import FAILURE_PREFIX


@dataclass(frozen=True)
class QueuedTask:
    id: str
    name: str
    args: str
    eta: dt.datetime | None
    retries: int


@dataclass(frozen=True)
class FailedTask:
    id: str
    name: str
    error: str
    traceback: str
    failed_at: dt.datetime | None


@dataclass(frozen=True)
class WorkerSeen:
    id: str
    host: str
    pid: int
    workers: int
    worker_type: str
    periodic: bool
    started_at: dt.datetime
    last_beat: dt.datetime
    gone: bool  # no beat for task_activity.STALE_AFTER_BEATS intervals


@dataclass(frozen=True)
class RunningTask:
    id: str
    name: str
    worker: str
    thread: str
    started_at: dt.datetime
    worker_gone: bool  # its worker stopped beating: the run was most likely lost with it


@dataclass(frozen=True)
class TaskRun:
    id: str
    name: str
    worker: str
    finished_at: dt.datetime
    duration: float
    error: str
    signal: str
    retries_left: int


@dataclass(frozen=True)
class PeriodicTasksInfo:
    """How periodic tasks run here: by consumers (`consumer`), by the server's runner (`runner`), or
    not at all (`none`: an immediate huey with the runner off)."""

    how: str
    consumers_with_periodic: int = 0
    runner_pid: int | None = None
    runner_holds_lock: bool = False
    runner_started_at: dt.datetime | None = None
    runner_last_tick_at: dt.datetime | None = None
    runner_last_tick_tasks: tuple[str, ...] = ()
    runner_lock_path: str = ""


@dataclass(frozen=True)
class TaskQueueOverview:
    huey_class: str
    immediate: bool
    pending_count: int = 0
    scheduled_count: int = 0
    pending: list[QueuedTask] = field(default_factory=list)
    scheduled: list[QueuedTask] = field(default_factory=list)
    failures: list[FailedTask] = field(default_factory=list)
    workers: list[WorkerSeen] = field(default_factory=list)
    running: list[RunningTask] = field(default_factory=list)
    recent_ok: list[TaskRun] = field(default_factory=list)
    recent_errors: list[TaskRun] = field(default_factory=list)
    periodic: PeriodicTasksInfo | None = None


def _queued(task) -> QueuedTask:
    args = ", ".join([*(repr(a) for a in task.args), *(f"{k}={v!r}" for k, v in task.kwargs.items())])
    eta = task.eta.replace(tzinfo=dt.UTC) if task.eta is not None and task.eta.tzinfo is None else task.eta
    return QueuedTask(id=task.id, name=task.name, args=args[:200], eta=eta, retries=task.retries)


def _time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def task_failures(*, huey, limit: int = 50) -> list[FailedTask]:
    """Tasks that failed for good (see backoffice.task_failures), newest first."""
    failures = []
    for key, raw in huey.all_results().items():
        if not str(key).startswith(FAILURE_PREFIX):
            continue
        record = huey.serializer.deserialize(raw)
        failed_at = _time(record["failed_at"]) if record.get("failed_at") else None
        failures.append(FailedTask(record["id"], record["name"], record["error"], record["traceback"], failed_at))
    failures.sort(key=lambda f: f.failed_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
    return failures[:limit]


def task_activity_overview(*, huey, now: dt.datetime | None = None) -> dict:
    """Workers (live first, then gone), running tasks (oldest first) and the recent runs (newest first)."""
    now = now or task_activity.utcnow()
    stale_after = dt.timedelta(seconds=task_activity.heartbeat_seconds() * task_activity.STALE_AFTER_BEATS)
    workers, running, recent = [], [], {task_activity.OK: [], task_activity.ERROR: []}
    records = task_activity.activity_records(huey)
    for key, record in records.items():
        if key.startswith("worker:"):
            last_beat = _time(record["last_beat"])
            workers.append(
                WorkerSeen(
                    id=record["id"],
                    host=record["host"],
                    pid=record["pid"],
                    workers=record["workers"],
                    worker_type=record["worker_type"],
                    periodic=record["periodic"],
                    started_at=_time(record["started_at"]),
                    last_beat=last_beat,
                    gone=now - last_beat > stale_after,
                )
            )
    live = {worker.id for worker in workers if not worker.gone}
    known = {worker.id for worker in workers}
    for key, record in records.items():
        if key.startswith("running:"):
            # A run of a known worker that stopped beating was lost with it; an unknown worker is this
            # kind of process: an immediate huey's server (no heartbeat), running it in-process.
            worker = record["worker"]
            running.append(
                RunningTask(
                    id=record["id"],
                    name=record["name"],
                    worker=worker,
                    thread=record["thread"],
                    started_at=_time(record["started_at"]),
                    worker_gone=worker in known and worker not in live,
                )
            )
        elif key.startswith("recent:"):
            outcome = key.split(":")[1]
            recent[outcome].append(
                TaskRun(
                    id=record["id"],
                    name=record["name"],
                    worker=record["worker"],
                    finished_at=_time(record["finished_at"]),
                    duration=record["duration"],
                    error=record["error"],
                    signal=record["signal"],
                    retries_left=record["retries_left"],
                )
            )
    workers.sort(key=lambda w: (w.gone, w.host, w.pid))
    running.sort(key=lambda r: r.started_at)
    for runs in recent.values():
        runs.sort(key=lambda r: r.finished_at, reverse=True)
    return {
        "workers": workers,
        "running": running,
        "recent_ok": recent[task_activity.OK],
        "recent_errors": recent[task_activity.ERROR],
    }


def periodic_tasks_info(*, huey, workers: list[WorkerSeen]) -> PeriodicTasksInfo:
    if not huey.immediate:
        return PeriodicTasksInfo(
            how="consumer", consumers_with_periodic=sum(1 for w in workers if w.periodic and not w.gone)
        )
    runner = periodic_runner_current()
    if runner is None:
        return PeriodicTasksInfo(how="none")
    state = runner.state
    return PeriodicTasksInfo(
        how="runner",
        runner_pid=state.pid,
        runner_holds_lock=state.holds_lock,
        runner_started_at=state.started_at,
        runner_last_tick_at=state.last_tick_at,
        runner_last_tick_tasks=tuple(state.last_tick_tasks),
        runner_lock_path=state.lock_path,
    )


def task_queue_overview(*, huey, limit: int = 50) -> TaskQueueOverview:
    """What the queue holds now, who works on it, what ran. With an immediate huey (HUEY_MODE=immediate)
    there is no queue: the activity is this process's own (its periodic runner, its requests' tasks)."""
    activity = task_activity_overview(huey=huey)
    periodic = periodic_tasks_info(huey=huey, workers=activity["workers"])
    if huey.immediate:
        return TaskQueueOverview(huey_class=type(huey).__name__, immediate=True, periodic=periodic, **activity)
    return TaskQueueOverview(
        huey_class=type(huey).__name__,
        immediate=False,
        pending_count=huey.pending_count(),
        scheduled_count=huey.scheduled_count(),
        pending=[_queued(task) for task in huey.pending(limit)],
        scheduled=[_queued(task) for task in huey.scheduled(limit)],
        failures=task_failures(huey=huey, limit=limit),
        periodic=periodic,
        **activity,
    )


def outbox_overview(*, limit: int = 50, purge_days: int = 30) -> dict:
    """The outbox's backlog (counts, oldest pending age), the messages with errors, and how many delivered
    messages a purge of `purge_days` would delete."""
    return {
        "backlog": outbox_selectors.outbox_backlog(),
        "troubled": outbox_selectors.outbox_messages_with_errors(limit=limit),
        "purge_days": purge_days,
        "purgeable": outbox_selectors.outbox_delivered_older_than_count(days=purge_days),
    }
