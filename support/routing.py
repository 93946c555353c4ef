"""Websocket routes of the support app (collected in config/websocket_routes.py)."""

from django.urls import path

from .consumers import AgentsConsumer, ConversationConsumer, OrdersConsumer

websocket_urlpatterns = [
    path("ws/support/agents/", AgentsConsumer.as_asgi()),
    path("ws/support/<int:conversation_id>/", ConversationConsumer.as_asgi()),
    path("ws/orders/", OrdersConsumer.as_asgi()),
]
