"""A value read at most once every few seconds per process: for reads that run on every chat message
but change rarely, or whose answer is allowed to lag (ADR 59 addendum).

`ProcessMemo(read, seconds=N)()` returns what `read()` returned, read again once it is `N` seconds old
or after `forget()`. Each process keeps its own copy: a change made in another process is seen within
`N` seconds; the process that makes a change calls `forget()` (a model receiver) to see it at once.
Two threads may both read when the value expires; both store a correct value, so no lock is taken.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
_MEMOS: weakref.WeakSet[ProcessMemo] = weakref.WeakSet()


class ProcessMemo(Generic[T]):
    def __init__(self, read: Callable[[], T], *, seconds: float) -> None:
        self._read, self._seconds = read, seconds
        self._value: T | None = None
        self._expires = 0.0
        _MEMOS.add(self)

    def __call__(self) -> T:
        now = time.monotonic()
        if now >= self._expires:
            value = self._read()
            self._value, self._expires = value, now + self._seconds
            return value
        return self._value  # type: ignore[return-value]

    def forget(self) -> None:
        self._expires = 0.0


def process_memos_forget() -> None:
    """Forget every memo of this process (a test starts from the database it sets up)."""
    for memo in list(_MEMOS):
        memo.forget()
