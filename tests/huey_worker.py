"""A real huey worker (`manage.py run_huey`) in a subprocess, on the test database and a given Redis.

For tests about work that must survive Redis outages and killed workers (ADR 0024): the worker runs the
outbox relay when it starts, so a new worker delivers whatever an earlier one (or a dead Redis) lost.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.asgi_server import ROOT, database_env


class HueyWorker:
    """`env` adds environment variables (DJANGO_SETTINGS_MODULE too); `args` adds run_huey options."""

    def __init__(
        self,
        *,
        redis_url: str,
        log: Path,
        env: dict[str, str] | None = None,
        workers: int = 2,
        args: tuple[str, ...] = (),
    ) -> None:
        self.redis_url, self.log, self.extra_env, self.workers = redis_url, log, env or {}, workers
        self.args = list(args)
        self.process: subprocess.Popen | None = None

    def start(self) -> HueyWorker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            **database_env(),
            "REDIS_URL": self.redis_url,
            "HUEY_MODE": "redis",
            "HUEY_IMMEDIATE": "0",
            "OUTBOX_RELAY_GRACE_SECONDS": "0",  # the start-up relay takes every due message
            **self.extra_env,
        }
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
            [sys.executable, "manage.py", "run_huey", "--workers", str(self.workers), *self.args],
            cwd=ROOT, env=env, stdout=self.log.open("a"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def log_tail(self, size: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-size:] if self.log.exists() else ""

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


def wait_until(condition, timeout: float, every: float = 0.1) -> bool:
    """True once `condition()` is, checked every `every` seconds; False after `timeout`. A condition that
    renders a page costs CPU the workers being waited for need: check it less often."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()
