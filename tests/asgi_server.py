"""Real ASGI servers for tests that need HTTP + websockets end to end: the production server (gunicorn
with one uvicorn worker, `config/gunicorn.py`, docs/adr/0053) unless a test asks for daphne (`runserver`'s).

The servers use the test database: the pytest PostgreSQL database when the suite runs on PostgreSQL,
otherwise the file SQLite test database (config.settings.test keeps SQLite tests in a file for this).
Use with `django_db(transaction=True)` so the servers see what the test wrote.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


_handed_out: set[int] = set()


def _free_port() -> int:
    """A free loopback port not handed out before in this process (servers started together must not
    get the same one): any the system gives, or one from `TEST_PORT_RANGE` (`8501-8599`) on a machine
    where each engineer keeps to a range of ports."""
    first, _, last = os.environ.get("TEST_PORT_RANGE", "").partition("-")
    ports = _this_workers_ports(int(first), int(last)) if last else []
    candidates = random.sample(ports, len(ports)) if last else [0] * 20
    for wanted in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", wanted))
            except OSError:
                continue
            port = sock.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port
    raise RuntimeError(f"no free port (TEST_PORT_RANGE={os.environ.get('TEST_PORT_RANGE', '')!r})")


def _this_workers_ports(first: int, last: int) -> list[int]:
    """This pytest-xdist worker's share of the range: workers that drew from the whole range could both
    find one port free before either server bound it, and one would then test the other's server."""
    ports = list(range(first, last + 1))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    if not worker.startswith("gw") or count <= 1 or len(ports) < count:
        return ports
    return ports[int(worker[2:]) % count :: count]


TCP_LISTEN, TCP_ESTABLISHED = "0A", "01"  # states in Linux's /proc/net tables


def _port_inodes(port: int, state: str) -> set[str]:
    """The inodes of this machine's sockets on local port `port` in TCP `state` (Linux's /proc/net
    tables; empty where there are none)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[1].rsplit(":", 1)[1] == f"{port:04X}" and fields[3] == state:
                inodes.add(fields[9])
    return inodes


def _listening_inodes(port: int) -> set[str]:
    """The socket inodes listening on `port` on this machine."""
    return _port_inodes(port, TCP_LISTEN)


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:  # gone, or not ours to read
        pass
    return inodes


class PortTaken(RuntimeError):
    """Another process answered on the port this server was given."""


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


SERVERS = ("shipped", "daphne")


class AsgiServer:
    """`env` adds environment variables for the server; `server` is "shipped" (gunicorn + uvicorn, one
    worker unless `WEB_CONCURRENCY` says more) or "daphne"; `server_args` adds that server's options."""

    def __init__(
        self,
        *,
        redis_url: str | None = None,
        env: dict[str, str] | None = None,
        server: str = "shipped",
        server_args: list[str] | None = None,
    ) -> None:
        assert server in SERVERS, server
        self.port = _free_port()
        self.redis_url = redis_url
        self.extra_env = env or {}
        self.server = server
        self.server_args = server_args or []
        self.process: subprocess.Popen | None = None

    def _command(self) -> list[str]:
        if self.server == "daphne":
            return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), *self.server_args,
                    "config.asgi:application"]  # fmt: skip
        return [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", *self.server_args,
                "config.asgi:application"]  # fmt: skip

    @property
    def log_path(self) -> Path:
        """The server's output, named by its port (which `start()` may change)."""
        return ROOT / "var" / f"test-{self.server}-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """The process serving requests: daphne's, or the shipped server's one worker (not gunicorn's
        arbiter, which serves nothing)."""
        assert self.process is not None
        if self.server == "daphne":
            return self.process.pid
        workers = self.worker_pids()
        assert len(workers) == 1, f"{len(workers)} workers: ask for worker_pids()"
        return workers[0]

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def start(self, timeout: float = 60) -> AsgiServer:
        for _ in range(2):
            try:
                return self.launch().wait_ready(timeout)
            except PortTaken:
                self.port = _free_port()
        return self.launch().wait_ready(timeout)

    def launch(self) -> AsgiServer:
        """Start the process without waiting for it (start several, then `wait_ready` each)."""
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **database_env()}
        env.pop("REDIS_URL", None)
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        # The shipped server's port and size; a stop should not wait for open websockets for long.
        env.update(BIND_HOST="127.0.0.1", PORT=str(self.port), WEB_CONCURRENCY="1", WEB_GRACEFUL_TIMEOUT="3")
        env.update(self.extra_env)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "w")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(  # noqa: S603
            self._command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        return self

    def wait_ready(self, timeout: float = 60) -> AsgiServer:
        """Until /healthz answers 200 (the `Host` is 127.0.0.1, so list it in ALLOWED_HOSTS). A process's
        first request loads every URLconf: on a busy machine it took over 3 s, so each try waits 10 s."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.server} exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=10) as response:  # noqa: S310
                    if response.status == 200:
                        self._check_the_port_is_ours()
                        return self
            except OSError:  # not listening yet: refused at once, so a short pause between tries
                time.sleep(0.05)
        self.stop()  # the caller gets no server to stop: it must not outlive the test (nor hold its database)
        raise RuntimeError(f"{self.server} did not answer on {self.url}")

    def _check_the_port_is_ours(self) -> None:
        """The answer came from this server, not from another test's on the same port (where /proc can
        tell): else `PortTaken`, and this server is stopped."""
        listening = _listening_inodes(self.port)
        if not listening:  # no /proc/net here: nothing to compare
            return
        ours = set().union(*(_socket_inodes(pid) for pid in [self.process.pid, *self.worker_pids()]))
        if not listening & ours:
            self.stop()
            raise PortTaken(f"another process answers on port {self.port}: not {self.server}'s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            workers = self.worker_pids()
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
                for pid in workers:  # the arbiter is gone; its workers must not outlive it
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        self._print_log_tail()

    def _print_log_tail(self, characters: int = 4000) -> None:
        """The end of the server's output on the test's stdout, which pytest shows only when the test failed:
        a browser journey that times out then says what the server did (the log file is gone with CI's clone)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return
        if text.strip():
            print(f"--- {self.server} server log ({self.log_path.name}), last {characters} characters ---")
            print(text[-characters:])
