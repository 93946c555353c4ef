"""Task queue (huey).

`HUEY_MODE` picks the storage; by default it follows REDIS_URL:
- `immediate` (no REDIS_URL): tasks run in-process, right after the enqueuing transaction commits.
- `redis` (REDIS_URL set): RedisHuey; run workers with `manage.py run_huey`.
- `sqlite`: SqliteHuey on a file beside the database, for a worker on a single machine without Redis.

Periodic tasks (scheduled publishing, unpaid-order expiry, the outbox relay) run in the consumer's
scheduler; with `immediate` there is no consumer, so the server process runs them itself each minute
(`ops.periodic_runner`, `HUEY_PERIODIC_RUNNER`; ADR 0037). The task monitor's heartbeats and recent
runs live in huey's storage (`backoffice.task_activity`).
"""

from config.env import BASE_DIR, env_bool, env_int, env_str

_redis_url = env_str("HUEY_REDIS_URL") or env_str("REDIS_URL")
HUEY_MODE = env_str("HUEY_MODE", "redis" if _redis_url else "immediate")

_common = {
    "name": env_str("HUEY_NAME", "hypex"),
    "utc": True,
    # No task's return value is ever read (work is recorded by the services, runs by the task monitor):
    # stored results would only pile up in Redis, one hash entry per run that returned something.
    "results": False,
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

# The in-process periodic runner of the serving process (only used with an immediate huey; ADR 0037).
HUEY_PERIODIC_RUNNER = env_bool("HUEY_PERIODIC_RUNNER", HUEY_MODE == "immediate")
# Its cross-process lock file; empty: one beside the SQLite database (ops.periodic_runner).
HUEY_PERIODIC_RUNNER_LOCK = env_str("HUEY_PERIODIC_RUNNER_LOCK", "")
# Task monitor: each consumer writes a heartbeat this often; a worker silent for 3 beats shows as gone,
# and its record is removed this long after its last beat.
TASK_MONITOR_HEARTBEAT_SECONDS = env_int("TASK_MONITOR_HEARTBEAT_SECONDS", 15)
TASK_MONITOR_WORKER_EXPIRY_SECONDS = env_int("TASK_MONITOR_WORKER_EXPIRY_SECONDS", 3600)
