"""Database: a SQLite file by default, PostgreSQL (or any dj-database-url URL) from DATABASE_URL.

On PostgreSQL each process keeps a psycopg connection pool (docs/adr/0028): at most
`DATABASE_POOL_MAX_SIZE` connections, a request waits up to `DATABASE_POOL_TIMEOUT` seconds for one
(then answers 503). Under the ASGI server, `CONN_MAX_AGE` kept one connection per worker thread and
leaked them under bursts; with the pool it must be 0. `DATABASE_POOL=false` turns the pool off for
shops behind pgbouncer: then each request opens and closes its connection (`DATABASE_CONN_MAX_AGE`, 0).
"""

import dj_database_url

from config.env import BASE_DIR, env_bool, env_int, env_str

DATABASE_URL = env_str("DATABASE_URL")

if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0, conn_health_checks=True)}
    _postgresql = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if _postgresql:
        # Shown in pg_stat_activity, so an operator can count each service's connections.
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["application_name"] = env_str("DATABASE_APPLICATION_NAME", "hypex")
    DATABASE_POOL = _postgresql and env_bool("DATABASE_POOL", True)
    if DATABASE_POOL:
        _options["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0)
    # Oscar abandons `.iterator()` loops half-way (product attributes); with psycopg 3, a server-side
    # cursor closed by the garbage collector while the same connection runs a query deadlocks. Client
    # cursors also keep us compatible with pgbouncer in transaction mode.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
else:
    DATABASE_POOL = False
    _sqlite_path = BASE_DIR / env_str("SQLITE_PATH", "var/db.sqlite3")
    _sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _sqlite_path,
            # Wait for a writer instead of failing at once: huey and the web process share the file.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

DATABASES["default"]["ATOMIC_REQUESTS"] = False

# Worker threads per process for the database work of websocket consumers (apibase.websocket_db,
# ADR 0059): the sockets of a process share them, each holds a connection only while it runs a call.
# Half the pool on PostgreSQL (HTTP requests take the rest), one on SQLite (one writer at a time).
_postgresql_threads = max(1, env_int("DATABASE_POOL_MAX_SIZE", 10) // 2)
WEBSOCKET_DB_THREADS = env_int("WEBSOCKET_DB_THREADS", _postgresql_threads if DATABASE_URL else 1)
