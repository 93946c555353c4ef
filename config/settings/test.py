"""Tests: the same wiring as production, made fast and hermetic.

The embedded default unless DATABASE_URL / REDIS_URL are set (CI runs the suite both ways).
Parallel workers (pytest-xdist) each get their own database and their own namespace in a shared Redis
(ADR 0030).
"""

from config.env import env_bool, env_str

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, CACHES, CHANNEL_LAYERS, DATABASES, HUEY

DEBUG = False
SECRET_KEY = "django-insecure-test-only-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A test may point a subprocess (a real huey worker) at a mail folder it can read.
EMAIL_BACKEND = env_str("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# pytest-xdist names its workers gw0, gw1 ... in PYTEST_XDIST_WORKER; a process a test starts (daphne, a
# huey worker) inherits it, so it lands in the same namespaces as the worker that started it.
TEST_WORKER = env_str("PYTEST_XDIST_WORKER", "main")
EMAIL_FILE_PATH = env_str("TEST_EMAIL_FILE_PATH", str(BASE_DIR / "var" / f"test-mail-{TEST_WORKER}"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATAEXCHANGE_FILES_ROOT = ""  # import uploads go to the in-memory default storage
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True  # servers started by tests serve static files without collectstatic
# SQLite tests use a file, so real ASGI servers started by a test (websocket end-to-end and browser
# tests) can share the test database. Under xdist, pytest-django suffixes it per worker
# (var/test-db.sqlite3_gw0), as it does test_<name>_gw0 on PostgreSQL.
# Test databases are thrown away, so a commit need not wait for the disk (333 migrations per worker
# commit one by one); other connections and processes still see every commit at once.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
# Tasks run in-process after commit so a test sees their effect; a dedicated test drives a real worker.
HUEY = {**HUEY, "immediate": env_bool("HUEY_IMMEDIATE", True)}
# Tests run webhook receivers on 127.0.0.1 over plain HTTP; the SSRF tests switch this off (ADR 0048).
WEBHOOK_ALLOW_HTTP = True
WEBHOOK_ALLOW_PRIVATE_URLS = True
# No periodic runner thread in tests (a test ticks a runner itself, or turns it on for a server it starts).
HUEY_PERIODIC_RUNNER = env_bool("HUEY_PERIODIC_RUNNER", False)

# One Redis (REDIS_URL) serves every worker: each keeps its cache keys, channel groups and task queue
# under its own name, and tests empty only their own cache keys (tests/parallel.py), never the database.
_namespace = f"hypex-test-{TEST_WORKER}"
CACHES["default"]["KEY_PREFIX"] = f"{_namespace}-cache"
if "CONFIG" in CHANNEL_LAYERS["default"]:
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"{_namespace}-channels"
HUEY["name"] = f"{_namespace}-tasks"
