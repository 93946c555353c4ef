"""Every websocket route of the project, collected from the apps (like config/api_router.py for HTTP)."""

from support.routing import websocket_urlpatterns as support_routes

websocket_urlpatterns = [*support_routes]
