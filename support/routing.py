"""Websocket routes of the support app."""

from django.urls import path

from .consumers import ConversationConsumer

websocket_urlpatterns = [
    path("ws/support/<int:conversation_id>/", ConversationConsumer.as_asgi()),
]
