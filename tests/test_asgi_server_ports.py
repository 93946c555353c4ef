"""The test servers' ports: each xdist worker draws from its own share of TEST_PORT_RANGE, and a server
that finds another process answering on its port notices (a daphne test once talked to another worker's
server and its database, and failed with "user not found")."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from tests.asgi_server import _listening_inodes, _socket_inodes, _this_workers_ports


def test_workers_draw_from_disjoint_shares_of_the_range(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "3")
    shares = []
    for worker in ("gw0", "gw1", "gw2"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        shares.append(set(_this_workers_ports(8700, 8799)))
    assert set().union(*shares) == set(range(8700, 8800))
    assert all(len(share) >= 33 for share in shares)
    assert not (shares[0] & shares[1]) and not (shares[1] & shares[2]) and not (shares[0] & shares[2])

    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert _this_workers_ports(8700, 8799) == list(range(8700, 8800))  # one process: the whole range


def test_a_listening_socket_is_found_in_its_owners_descriptors_only():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])  # noqa: S603
        try:
            listening = _listening_inodes(port)
            assert listening, "the listener is in /proc/net/tcp"
            assert listening & _socket_inodes(os.getpid())
            assert not listening & _socket_inodes(other.pid)
        finally:
            other.kill()
            other.wait()
    assert not _listening_inodes(port)
