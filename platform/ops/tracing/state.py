"""Whether this process is tracing, and through which provider: written by `setup` (`tracing_start`,
`tracing_stop`), read where spans are made (`database`, `tasks`). A module of its own, so that `setup` can
import what it installs without those modules importing `setup` back (ADR 0040)."""

from __future__ import annotations

TRACING: dict = {"on": False, "provider": None, "exporters": []}


def tracing_on() -> bool:
    return TRACING["on"]
