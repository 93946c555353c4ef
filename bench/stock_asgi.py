"""Bench only: Django's own ASGI handler (async middleware chain, a thread per request), to measure the
shipped one-hop handler (ops.asgi_http, docs/adr/0053) against it on the same server. Never deployed."""

import os

import config.pythonpath  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()
