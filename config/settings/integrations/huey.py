"""Task queue (huey).

`HUEY_MODE` picks the storage; by default it follows REDIS_URL:
- `immediate` (no REDIS_URL): tasks run in-process, right after the enqueuing transaction commits.
- `redis` (REDIS_URL set): RedisHuey; run workers with `manage.py run_huey`.
- `sqlite`: SqliteHuey on a file beside the database, for a worker on a single machine without Redis.
"""

from config.env import BASE_DIR, env_bool, env_int, env_str

_redis_url = env_str("HUEY_REDIS_URL") or env_str("REDIS_URL")
HUEY_MODE = env_str("HUEY_MODE", "redis" if _redis_url else "immediate")

_common = {
    "name": env_str("HUEY_NAME", "hypex"),
    "utc": True,
    "consumer": {
        "workers": env_int("HUEY_WORKERS", 2),
        "worker_type": "thread",
        "periodic": True,
        "check_worker_health": True,
    },
}


def _with_timeouts(url: str) -> str:
    """Fail fast instead of hanging when Redis is away (the readiness probe relies on it)."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}socket_connect_timeout=2&socket_timeout=10"


if HUEY_MODE == "redis":
    HUEY = {
        **_common,
        "huey_class": "huey.RedisHuey",
        "immediate": False,
        "connection": {"url": _with_timeouts(_redis_url)},
    }
elif HUEY_MODE == "sqlite":
    HUEY = {
        **_common,
        "huey_class": "huey.SqliteHuey",
        "immediate": False,
        "filename": str(BASE_DIR / env_str("HUEY_SQLITE_PATH", "var/huey.sqlite3")),
    }
else:
    HUEY = {**_common, "huey_class": "huey.MemoryHuey", "immediate": True}

# In tests a Redis-backed huey can still be told to run in-process.
if env_bool("HUEY_IMMEDIATE", False):
    HUEY["immediate"] = True
