"""The environment the benchmarks serve Hypex with: production settings (or `bench.settings`, which adds
the floor view) on a scratch PostgreSQL database and a Redis DB number of their own, no HTTPS redirect,
no trusted proxy, quiet logs. Each script adds what it needs on top (`overrides`)."""

from __future__ import annotations

import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_environment(
    *, database: str, redis_db: int, settings: str = "bench.settings", **overrides: str
) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "TRUSTED_PROXY_COUNT": "0",
        "STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
        "MEDIA_ROOT": str(ROOT / "var" / "bench" / "media"),
        "LOG_LEVEL": "WARNING",
        **overrides,
    }
