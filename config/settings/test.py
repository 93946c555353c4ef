"""Tests: the same wiring as production, made fast and hermetic.

The embedded default unless DATABASE_URL / REDIS_URL are set (CI runs the suite both ways).
"""

from .base import *  # noqa: F401,F403
from .base import HUEY

DEBUG = False
SECRET_KEY = "django-insecure-test-only-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Tasks run in-process after commit so a test sees their effect; a dedicated test drives a real worker.
HUEY = {**HUEY, "immediate": True}
