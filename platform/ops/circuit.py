"""A small circuit breaker for a dependency the shop can live without (Redis; see ADR 0025).

Contract:
- `allow()` says whether to try the dependency now. While the circuit is closed, always. After a
  failure the circuit opens for `open_seconds`: nobody tries, so a page that would have made twenty
  calls pays no timeout at all. When the window ends, exactly one caller (per process) gets to try;
  the others keep skipping until that trial answers.
- `failure(exc)` opens (or re-opens) the circuit and logs a warning, at most once per
  `log_interval_seconds` (the line says how many failures it stands for), so an outage does not flood
  the log.
- `success()` closes the circuit; if it was open, it logs the recovery and returns True (once per
  outage), so the caller can react (e.g. invalidate what it could not while the dependency was away).

Thread-safe; one instance is shared by every thread of the process that talks to the same server.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# Redis is away or too slow (refused, reset, unresolvable, timed out, still loading its data). What
# the shop degrades on; any other Redis error (a wrong command or value) is a bug and still raises.
REDIS_OUTAGE_ERRORS: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError)


class CircuitBreaker:
    def __init__(
        self,
        *,
        name: str,
        logger: logging.Logger,
        open_seconds: float,
        log_interval_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.logger = logger
        self.open_seconds = open_seconds
        self.log_interval_seconds = log_interval_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._open_until = 0.0
        self._last_log_at: float | None = None
        self._unlogged_failures = 0

    @property
    def is_down(self) -> bool:
        return self._down_since is not None

    def allow(self) -> bool:
        with self._lock:
            if self._down_since is None:
                return True
            now = self._clock()
            if now < self._open_until:
                return False
            # This caller makes the trial; everyone else waits out one more window.
            self._open_until = now + self.open_seconds
            return True

    def failure(self, exc: BaseException) -> None:
        with self._lock:
            now = self._clock()
            if self._down_since is None:
                self._down_since = now
            self._open_until = now + self.open_seconds
            self._unlogged_failures += 1
            if self._last_log_at is not None and now - self._last_log_at < self.log_interval_seconds:
                return
            count, self._unlogged_failures, self._last_log_at = self._unlogged_failures, 0, now
        self.logger.warning(
            "%s unavailable (%s: %s); carrying on without it, next try in %.1fs (%d failure(s) since the last report)",
            self.name, type(exc).__name__, exc, self.open_seconds, count,
        )  # fmt: skip

    def success(self) -> bool:
        """Close the circuit. True when this call ended an outage."""
        if self._down_since is None:  # the common case, without taking the lock
            return False
        with self._lock:
            if self._down_since is None:
                return False
            down_for = self._clock() - self._down_since
            self._down_since, self._open_until, self._last_log_at = None, 0.0, None
            skipped, self._unlogged_failures = self._unlogged_failures, 0
        self.logger.warning(
            "%s available again after %.1fs (%d failure(s) not reported individually)", self.name, down_for, skipped
        )
        return True
