"""Real ASGI servers (daphne processes) for tests that need HTTP + websockets end to end.

The servers use the test database: the pytest PostgreSQL database when the suite runs on PostgreSQL,
otherwise the file SQLite test database (config.settings.test keeps SQLite tests in a file for this).
Use with `django_db(transaction=True)` so the servers see what the test wrote.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_env() -> dict[str, str]:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings.get("USER") or "postgres"
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
        return {"DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"}
    name = str(settings["NAME"])
    if "memory" in name:
        raise RuntimeError("the SQLite test database must be a file for out-of-process servers")
    return {"DATABASE_URL": "", "SQLITE_PATH": name}


class AsgiServer:
    """`env` adds environment variables for the server; `daphne_args` adds daphne options."""

    def __init__(
        self, *, redis_url: str | None = None, env: dict[str, str] | None = None, daphne_args: list[str] | None = None
    ) -> None:
        self.port = _free_port()
        self.redis_url = redis_url
        self.extra_env = env or {}
        self.daphne_args = daphne_args or []
        self.process: subprocess.Popen | None = None
        self.log_path = ROOT / "var" / f"test-daphne-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> AsgiServer:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **database_env()}
        env.pop("REDIS_URL", None)
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        env.update(self.extra_env)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "w")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), *self.daphne_args,
             "config.asgi:application"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"daphne did not answer on {self.url}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
