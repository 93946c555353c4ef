"""ASGI server processes for the websocket benchmarks (chat_bench.py, search_socket_bench.py --crowd).

`--server shipped` runs the production server as the Dockerfile does (gunicorn with `config/gunicorn.py`,
ADR 53), one uvicorn worker per port; `--server daphne` runs one daphne process per port (the production
server before ADR 53). Either way one process per port, on consecutive ports, so the benchmarks place
their clients on a known process and every cross-process path goes through the Redis channel layer.
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SERVERS = ("shipped", "daphne")


def server_command(kind: str, port: int) -> list[str]:
    if kind == "daphne":
        return [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "-v", "0", "config.asgi:application"]
    if kind == "shipped":
        return [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "-w", "1", "-b", f"127.0.0.1:{port}",
                "config.asgi:application"]  # fmt: skip
    raise ValueError(f"unknown server {kind!r}; one of {SERVERS}")


def servers_start(*, kind: str, first_port: int, count: int, env: dict[str, str], name: str) -> list[subprocess.Popen]:
    """`count` server processes on `first_port`, `first_port + 1`, ...; returns once each answers
    `/healthz` (logs in var/bench/<name>-<port>.log). Terminate them with `servers_stop`."""
    log_dir = ROOT / "var" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    processes = []
    for port in range(first_port, first_port + count):
        log = open(log_dir / f"{name}-{kind}-{port}.log", "w")  # noqa: SIM115 - closed with the process
        command, full_env = server_command(kind, port), {**os.environ, **env}
        process = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        processes.append(process)
    for index, port in enumerate(range(first_port, first_port + count)):
        deadline = time.monotonic() + 90
        while True:
            if processes[index].poll() is not None:
                servers_stop(processes)
                raise RuntimeError(f"server {port} exited; see var/bench/{name}-{kind}-{port}.log")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline:
                    servers_stop(processes)
                    raise RuntimeError(f"server {port} did not answer") from None
                time.sleep(0.3)
    return processes


def servers_stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
