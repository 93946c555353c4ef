"""Database: a SQLite file by default, PostgreSQL (or any dj-database-url URL) from DATABASE_URL."""

import dj_database_url

from config.env import BASE_DIR, env_int, env_str

DATABASE_URL = env_str("DATABASE_URL")

if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    # Oscar abandons `.iterator()` loops half-way (product attributes); with psycopg 3, a server-side
    # cursor closed by the garbage collector while the same connection runs a query deadlocks. Client
    # cursors also keep us compatible with pgbouncer in transaction mode.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
else:
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
