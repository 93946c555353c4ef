"""Every websocket route of the project, collected from the apps (like config/api_router.py for HTTP)."""

from catalogue.routing import websocket_urlpatterns as catalogue_routes
from support.routing import websocket_urlpatterns as support_routes

websocket_urlpatterns = [*support_routes, *catalogue_routes]
