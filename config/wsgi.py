"""WSGI entry point (kept for tools that want it; Hypex serves through config.asgi)."""

import os

import config.pythonpath  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

django.setup(set_prefix=False)

from ops.tracing.setup import tracing_start_from_env  # noqa: E402

tracing_start_from_env()  # before the middleware chain is built (ADR 0034)
application = get_wsgi_application()

from ops.periodic_runner import periodic_runner_start  # noqa: E402

periodic_runner_start()  # with an immediate huey only, as in config.asgi (ADR 0037)
