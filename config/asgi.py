"""The one ASGI application: HTTP goes to Django, websockets to the Channels routes.

Run with `daphne config.asgi:application` (production) or `manage.py runserver` (daphne's, locally).
"""

import os

import config.pythonpath  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.core.asgi import get_asgi_application  # noqa: E402

# Django must be set up before anything imports models (the websocket routes do).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from ops.daphne_bodies import keep_bodies_for_django  # noqa: E402

keep_bodies_for_django()  # malformed multipart bodies get the error format, not Twisted's bare 400

from apibase.websocket_auth import WebsocketAuthMiddlewareStack  # noqa: E402
from apibase.websocket_ratelimit import WebsocketConnectRateLimitMiddleware  # noqa: E402
from config.websocket_routes import websocket_urlpatterns  # noqa: E402
from ops.periodic_runner import periodic_runner_start  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Handshakes are counted per client IP first, before any session or database work.
        "websocket": WebsocketConnectRateLimitMiddleware(
            WebsocketAuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# Only a serving process imports this module: with an immediate huey (the embedded default) it runs the
# periodic tasks each minute, as a consumer's scheduler would (ADR 0037). Off in tests; once per process.
periodic_runner_start()
