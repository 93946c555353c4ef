"""Tests: the same wiring as production, made fast and hermetic.

The embedded default unless DATABASE_URL / REDIS_URL are set (CI runs the suite both ways).
"""

from config.env import env_bool, env_str

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, DATABASES, HUEY

DEBUG = False
SECRET_KEY = "django-insecure-test-only-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A test may point a subprocess (a real huey worker) at a mail folder it can read.
EMAIL_BACKEND = env_str("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env_str("TEST_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "test-mail"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATAEXCHANGE_FILES_ROOT = ""  # import uploads go to the in-memory default storage
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True  # servers started by tests serve static files without collectstatic
# SQLite tests use a file, so real ASGI servers started by a test (websocket end-to-end and browser
# tests) can share the test database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}
# Tasks run in-process after commit so a test sees their effect; a dedicated test drives a real worker.
HUEY = {**HUEY, "immediate": env_bool("HUEY_IMMEDIATE", True)}
