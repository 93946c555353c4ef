"""Websocket routes of the catalogue (collected in config/websocket_routes.py)."""

from django.urls import path

from .consumers import SearchSuggestConsumer

websocket_urlpatterns = [path("ws/search/", SearchSuggestConsumer.as_asgi())]
