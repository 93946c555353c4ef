"""The one ASGI application: HTTP goes to Django, websockets to the Channels routes.

Production runs it under gunicorn with uvicorn workers: `gunicorn -c config/gunicorn.py
config.asgi:application` (docs/adr/0053). Locally `manage.py runserver` serves it with daphne.
"""

import os

import config.pythonpath  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup(set_prefix=False)

from ops.metrics.exposition import multiprocess_dead_tidy  # noqa: E402

multiprocess_dead_tidy()  # before serving: ended processes' open-websocket gauges leave the sums

from ops.tracing.setup import asgi_traced, tracing_start_from_env  # noqa: E402

# Tracing (off unless OTEL_* ask for it) must start before Django builds its middleware chain.
tracing_start_from_env()

from django.conf import settings  # noqa: E402

from ops.asgi_http import SyncChainASGIHandler  # noqa: E402

# Django's HTTP: the sync middleware chain and view in one hop to a thread pool per request (ADR 0053).
# Django must be set up before anything imports models (the websocket routes do).
django_asgi_app = SyncChainASGIHandler(threads=settings.HTTP_THREADS)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from ops.daphne_bodies import keep_bodies_for_django  # noqa: E402

keep_bodies_for_django()  # malformed multipart bodies get the error format, not Twisted's bare 400

from apibase.websocket_auth import WebsocketAuthMiddlewareStack  # noqa: E402
from apibase.websocket_ratelimit import WebsocketConnectRateLimitMiddleware  # noqa: E402
from config.websocket_routes import websocket_urlpatterns  # noqa: E402
from ops.access_log import WebsocketAccessLogMiddleware  # noqa: E402
from ops.metrics.websockets import WebsocketMetricsMiddleware  # noqa: E402
from ops.periodic_runner import periodic_runner_start  # noqa: E402
from ops.request_id import WebsocketRequestIdMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # A request id for the connection's log lines and one line when it ends (docs/adr/0035);
        # connections and frames counted by route (ops.metrics); then handshakes are counted per client
        # IP, before any session or database work.
        "websocket": WebsocketRequestIdMiddleware(
            WebsocketAccessLogMiddleware(
                WebsocketMetricsMiddleware(
                    WebsocketConnectRateLimitMiddleware(WebsocketAuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
                    urlpatterns=websocket_urlpatterns,
                )
            )
        ),
    }
)

# HTTP and websocket spans around everything, when tracing is on (ops.tracing, ADR 0034).
application = asgi_traced(application)

# Only a serving process imports this module: with an immediate huey (the embedded default) it runs the
# periodic tasks each minute, as a consumer's scheduler would (ADR 0037). Off in tests; once per process.
periodic_runner_start()
