"""Periodic tasks under the embedded default (HUEY_MODE=immediate), where no consumer runs (ADR 0037).

huey's consumer has a scheduler thread that, once a minute, asks `huey.read_periodic(now)` which
periodic tasks are due and enqueues each. With an immediate huey there is no consumer, so nothing ever
asked: a page scheduled in the CMS never went live and unpaid orders never expired. The runner is that
scheduler loop in the web server's process: a daemon thread that, at the start of every minute (and
once when it starts, as the consumer does), calls `read_periodic` and `enqueue` - which an immediate
huey executes right there, with the same signals (task monitor, failure records) as a worker's run.

Contract:
- `periodic_runner_start()` is called by the server entry points (`config.asgi`, `config.wsgi`), which
  only a serving process imports: `runserver` imports the ASGI application in its serving child, not in
  the autoreloader's watching parent, and no other management command imports it. It starts nothing
  unless `HUEY_PERIODIC_RUNNER` is on (the default when HUEY_MODE is immediate; off in the test
  settings) and the project's huey is immediate. Once per process.
- Across processes (several server processes on one machine, an autoreloader restart that overlaps
  the old child) an exclusive `flock` on a lock file per database (`periodic_runner_lock_path`) lets
  one runner tick; the others retry the lock every minute and take over when its holder exits.
- The runner imports every app's `tasks` module first (as `run_huey` does): a web process would
  otherwise know only the periodic tasks whose module something happened to import.
- Each tick runs in the runner's thread, one task after the other; a task's exception is logged (and
  recorded by the task monitor) and does not stop the runner. Minutes missed while a tick ran long are
  skipped, as huey's scheduler skips them.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import autodiscover_modules
from huey.contrib import djhuey

try:
    import fcntl
except ImportError:  # not POSIX: no cross-process lock, one runner per process
    fcntl = None

logger = logging.getLogger("ops.periodic_runner")


def project_huey():
    return djhuey.HUEY


@dataclass
class RunnerState:
    """What the task monitor shows about the runner of this process."""

    pid: int
    lock_path: str
    started_at: dt.datetime
    holds_lock: bool = False
    last_tick_at: dt.datetime | None = None
    last_tick_tasks: list[str] = field(default_factory=list)
    ticks: int = 0


class PeriodicRunner:
    def __init__(self, huey, *, lock_path: str | Path, interval: float = 60.0) -> None:
        # A web process imports a tasks module only when a service first needs it; huey knows a
        # periodic task once its module is imported. Import them all, as `run_huey` does.
        autodiscover_modules("tasks")
        self.huey = huey
        self.interval = interval
        self.state = RunnerState(pid=os.getpid(), lock_path=str(lock_path), started_at=dt.datetime.now(dt.UTC))
        self._lock_file = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the lock -------------------------------------------------------------------------------

    def acquire(self) -> bool:
        """Take the machine-wide runner lock without waiting; True if this runner holds it."""
        if self.state.holds_lock:
            return True
        if fcntl is None:
            self.state.holds_lock = True
            return True
        path = Path(self.state.lock_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._lock_file = handle
        self.state.holds_lock = True
        return True

    def release(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # closing the descriptor releases the flock
            self._lock_file = None
        self.state.holds_lock = False

    # -- one minute -----------------------------------------------------------------------------

    def tick(self, now: dt.datetime | None = None) -> list[str]:
        """Run the periodic tasks due at `now` (huey's clock: naive UTC), one after the other, the way
        huey's scheduler would enqueue them. Returns their names."""
        huey = self.huey
        timestamp = now if now is not None else huey._get_timestamp()
        ran = []
        for task in huey.read_periodic(timestamp):
            ran.append(task.name)
            try:
                huey.enqueue(task)  # an immediate huey executes it here
            except Exception:  # noqa: BLE001 - one failing task must not stop the others
                logger.exception("periodic runner: %s failed", task.name)
        self.state.last_tick_at = dt.datetime.now(dt.UTC)
        self.state.last_tick_tasks = ran
        self.state.ticks += 1
        return ran

    def _run(self) -> None:
        while not self._stop.is_set():  # the first tick at once, like the consumer at start-up
            if self.acquire():
                close_old_connections()  # this thread's own connections, as a request or a worker does
                try:
                    self.tick()
                except Exception:  # noqa: BLE001 - the runner outlives a broken tick
                    logger.exception("periodic runner: tick failed")
                finally:
                    close_old_connections()
            # The next minute boundary of the wall clock (crontab matches whole minutes); skip missed ones.
            self._stop.wait(self.interval - (time.time() % self.interval) + 0.5)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="hypex-periodic-runner", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.release()


_runner: PeriodicRunner | None = None
_start_lock = threading.Lock()


def periodic_runner_lock_path() -> Path:
    """`HUEY_PERIODIC_RUNNER_LOCK`, else a file beside the SQLite database (one runner per database, so
    two checkouts or two test databases never block each other), else one per database name in var/."""
    configured = getattr(settings, "HUEY_PERIODIC_RUNNER_LOCK", "")
    if configured:
        return Path(configured)
    database = settings.DATABASES["default"]
    name = str(database["NAME"])
    if database["ENGINE"].endswith("sqlite3") and "memory" not in name:
        return Path(f"{name}.periodic-runner.lock")
    safe = "".join(char if char.isalnum() else "-" for char in name)
    return Path(settings.BASE_DIR) / "var" / f"periodic-runner-{safe}.lock"


def periodic_runner_enabled(huey=None) -> bool:
    huey = huey or project_huey()
    return bool(getattr(settings, "HUEY_PERIODIC_RUNNER", False)) and huey.immediate


def periodic_runner_start() -> PeriodicRunner | None:
    """Start this process's runner if the settings ask for one (see the module docstring); returns it,
    or None. Calling it again returns the running one."""
    global _runner
    huey = project_huey()
    if not periodic_runner_enabled(huey):
        return None
    with _start_lock:
        if _runner is None:
            _runner = PeriodicRunner(huey, lock_path=periodic_runner_lock_path())
            _runner.start()
            logger.info("periodic runner started in process %s (HUEY_MODE=immediate)", os.getpid())
    return _runner


def periodic_runner_current() -> PeriodicRunner | None:
    """This process's runner, if one was started."""
    return _runner
