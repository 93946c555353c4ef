"""The production server's port is refused when another process listens on it (docs/adr/0053, "Each worker
listens on the port itself").

With `reuse_port` (config/gunicorn.py) each gunicorn worker binds the port itself with `SO_REUSEPORT`, and
the kernel spreads new connections over the workers. `SO_REUSEPORT` also lets any other process of the same
user that asks for it join the port: a second server started on the same port would share its connections
silently, and a worker whose port is held by a process without it would fail to bind and be restarted
forever. `refuse_taken_addresses`, called before the workers start, refuses the port instead, as a plain
bind would.
"""

from __future__ import annotations

import errno
import os
import socket


def refuse_taken_addresses(addresses) -> None:
    """Raise `OSError(EADDRINUSE)` for the first TCP address in `addresses` (gunicorn's parsed binds:
    (host, port) tuples, unix socket paths or file descriptors) that another socket is bound to. Skipped
    when gunicorn takes its sockets from a parent (a re-exec on USR2, or systemd's socket activation)."""
    if os.environ.get("GUNICORN_FD") or os.environ.get("LISTEN_FDS"):
        return
    for address in addresses:
        if not isinstance(address, tuple) or not address[1]:
            continue
        host, port = address[0], address[1]
        for family, kind, protocol, _name, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
            with socket.socket(family, kind, protocol) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds: TIME_WAIT is no owner
                try:
                    probe.bind(sockaddr)
                except OSError as error:
                    if error.errno == errno.EADDRINUSE:
                        raise OSError(errno.EADDRINUSE, f"port {port} on {host} is in use by another process") from None
                    raise
