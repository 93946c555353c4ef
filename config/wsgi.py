"""WSGI entry point (kept for tools that want it; Hypex serves through config.asgi)."""

import os

import config.pythonpath  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from ops.periodic_runner import periodic_runner_start  # noqa: E402

periodic_runner_start()  # with an immediate huey only, as in config.asgi (ADR 0037)
