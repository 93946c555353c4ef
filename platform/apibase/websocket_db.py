"""Database work of websocket consumers: off the event loop, many sockets at once, bounded (ADR 0059).

Channels' `database_sync_to_async` is thread-sensitive: every consumer of a server process queues its
database work on one shared thread, so 200 sockets of one process wait for each other. `db_async(func)`
runs `func` instead on a pool of `WEBSOCKET_DB_THREADS` worker threads per process (not thread-sensitive),
and closes the thread's database connections before and after each call, as `database_sync_to_async`
does: with the PostgreSQL pool (ADR 0028) a closed connection goes back to the pool, so a process holds
at most `WEBSOCKET_DB_THREADS` connections for its sockets, whatever their number.

Use it for self-contained work: one service or selector call that opens and ends its own transaction
and keeps no state in the thread between calls (any of the worker threads may run the next call). On
SQLite the default is one thread (one writer at a time, as before).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from asgiref.sync import SyncToAsync
from django.conf import settings
from django.core.signals import setting_changed
from django.db import close_old_connections
from django.dispatch import receiver

P = ParamSpec("P")
R = TypeVar("R")

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def db_executor() -> ThreadPoolExecutor:
    """This process's worker threads for websocket database work, made on first use."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=max(1, settings.WEBSOCKET_DB_THREADS), thread_name_prefix="websocket-db"
            )
        return _executor


@receiver(setting_changed)
def _forget_executor(*, setting: str, **kwargs) -> None:
    """Tests that change the thread count get a pool of the new size (the old one ends its work)."""
    global _executor
    if setting == "WEBSOCKET_DB_THREADS":
        with _executor_lock:
            old, _executor = _executor, None
        if old is not None:
            old.shutdown(wait=False)


class _DatabaseCall(SyncToAsync):
    def thread_handler(self, loop, *args, **kwargs):
        close_old_connections()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            close_old_connections()


def db_async(func: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """`await db_async(func)(*args, **kwargs)`: `func` on one of the websocket database threads. Also a
    decorator; the pool is looked up at each call, not when decorating."""

    @functools.wraps(func)
    async def call(*args: P.args, **kwargs: P.kwargs) -> R:
        return await _DatabaseCall(func, thread_sensitive=False, executor=db_executor())(*args, **kwargs)

    return call
