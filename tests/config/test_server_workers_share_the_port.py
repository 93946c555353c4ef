"""The production server's workers each listen on the port themselves, so new connections are spread over
them (config/gunicorn.py `reuse_port`, docs/adr/0053), and a port another process holds is refused.

On one shared listening socket, a uvicorn worker's loop accepted every waiting connection each time it
woke: a burst of keep-alive connections could all land on one worker, which then served them alone for
their whole life (measured: 8 connections of `wrk` on 2 workers, all 8 on one worker in one run of six,
half the requests per second).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests.asgi_server import (
    ROOT,
    TCP_ESTABLISHED,
    AsgiServer,
    _listening_inodes,
    _port_inodes,
    _socket_inodes,
    database_env,
)

CONNECTIONS = 48


@pytest.fixture
def two_workers(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server = AsgiServer(env={"WEB_CONCURRENCY": "2"})
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _answer_on(connection: socket.socket) -> bytes:
    connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = connection.recv(4096)
        assert chunk, "the server closed the connection"
        answer += chunk
    return answer


@pytest.mark.django_db(transaction=True)
def test_each_worker_listens_on_the_port_and_a_burst_of_connections_is_spread_over_both(two_workers):
    workers = two_workers.worker_pids()
    assert len(workers) == 2
    listening = _listening_inodes(two_workers.port)
    by_worker = {pid: _socket_inodes(pid) & listening for pid in workers}
    assert all(len(inodes) == 1 for inodes in by_worker.values()), by_worker  # one listener each, its own
    assert by_worker[workers[0]] != by_worker[workers[1]]
    assert not _socket_inodes(two_workers.process.pid) & listening  # the arbiter serves nothing

    # A burst: every connection is made (the kernel completes the handshakes) before any is served.
    connections = [socket.create_connection(("127.0.0.1", two_workers.port), timeout=30) for _ in range(CONNECTIONS)]
    try:
        for connection in connections:  # each answered, so each has been accepted by a worker
            assert _answer_on(connection).startswith(b"HTTP/1.1 200 ")
        established = _port_inodes(two_workers.port, TCP_ESTABLISHED)  # the server ends
        held = {pid: len(_socket_inodes(pid) & established) for pid in workers}
    finally:
        for connection in connections:
            connection.close()

    assert sum(held.values()) == CONNECTIONS
    # Spread by a hash of the addresses: either worker holds fewer than 4 of 48 about once in 10^10 runs.
    assert min(held.values()) >= 4, held


def _second_server(port: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **database_env(),
           "BIND_HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1"}  # fmt: skip
    command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.asgi:application"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)  # noqa: S603


@pytest.mark.django_db(transaction=True)
def test_a_second_server_on_the_same_port_is_refused_and_the_first_keeps_every_connection(two_workers):
    second = _second_server(two_workers.port)

    assert second.returncode == 1
    assert f"port {two_workers.port} on 127.0.0.1 is in use by another process" in second.stderr
    listening = _listening_inodes(two_workers.port)
    ours = set().union(*(_socket_inodes(pid) for pid in two_workers.worker_pids()))
    assert listening <= ours  # no stranger joined the port


@pytest.mark.django_db
def test_a_port_held_by_a_process_without_reuseport_is_refused_at_start():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        second = _second_server(holder.getsockname()[1])

    assert second.returncode == 1
    assert "is in use by another process" in second.stderr
