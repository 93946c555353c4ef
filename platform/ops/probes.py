"""Readiness probes: one function per dependency, each answering (up, detail).

Each probe talks to the real backend the settings configure, with a short timeout, and never raises.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import caches
from django.db import connections
from huey.contrib import djhuey


@dataclass(frozen=True)
class ProbeResult:
    name: str
    up: bool
    backend: str
    detail: str
    latency_ms: float

    def as_dict(self) -> dict:
        return {
            "status": "up" if self.up else "down",
            "backend": self.backend,
            "detail": self.detail,
            "latency_ms": round(self.latency_ms, 1),
        }


def _timed(name: str, backend: str, check: Callable[[], str]) -> ProbeResult:
    started = time.perf_counter()
    try:
        detail = check()
        up = True
    except Exception as exc:  # noqa: BLE001 - a probe reports every failure, whatever its type
        detail = f"{type(exc).__name__}: {exc}"[:300]
        up = False
    return ProbeResult(name, up, backend, detail, (time.perf_counter() - started) * 1000)


def probe_database() -> ProbeResult:
    connection = connections["default"]

    def check() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "SELECT 1 answered"

    return _timed("database", connection.vendor, check)


def probe_cache() -> ProbeResult:
    cache = caches["default"]

    def check() -> str:
        key = f"readyz:{uuid.uuid4().hex}"
        cache.set(key, "1", timeout=5)
        value = cache.get(key)
        breaker = getattr(cache, "breaker", None)  # the fault-tolerant Redis cache (ops.cache_backends)
        if breaker is not None and breaker.is_down:
            raise RuntimeError("Redis unreachable: the cache serves misses and drops writes (see the ops.cache log)")
        if value != "1":
            raise RuntimeError("value written was not read back")
        cache.delete(key)
        return "set/get round trip"

    return _timed("cache", type(cache).__name__, check)


def probe_channel_layer() -> ProbeResult:
    layer = get_channel_layer()

    def check() -> str:
        if layer is None:
            raise RuntimeError("no channel layer configured")

        async def round_trip() -> None:
            channel = await layer.new_channel("readyz.")
            try:
                await layer.send(channel, {"type": "readyz.ping"})
                message = await layer.receive(channel)
            finally:
                # The pub/sub layer subscribes each channel until it is discarded (ops.channel_layer).
                discard = getattr(layer, "channel_discard", None)
                if discard is not None:
                    await discard(channel)
            if message.get("type") != "readyz.ping":
                raise RuntimeError("message sent was not received")

        async_to_sync(round_trip)()
        return "send/receive round trip"

    return _timed("channel_layer", type(layer).__name__ if layer else "none", check)


def probe_task_queue() -> ProbeResult:
    huey = djhuey.HUEY

    def check() -> str:
        if huey.immediate:
            return "in-process (immediate mode)"
        pending = huey.pending_count()  # a real round trip to the queue's storage
        return f"{pending} task(s) queued"

    return _timed("task_queue", type(huey).__name__, check)


PROBES: list[Callable[[], ProbeResult]] = [probe_database, probe_cache, probe_channel_layer, probe_task_queue]


def run_probes() -> list[ProbeResult]:
    return [probe() for probe in PROBES]
