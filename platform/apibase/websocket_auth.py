"""Who is on the other end of a websocket.

Pages authenticate with the session cookie (Channels' AuthMiddleware). Apps send their JWT access token
as a subprotocol pair: `Sec-WebSocket-Protocol: bearer, <access token>`; the consumer then answers
with the `bearer` subprotocol (see `accepted_subprotocol`).
"""

from __future__ import annotations

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import AccessToken

BEARER_SUBPROTOCOL = "bearer"


def bearer_token_from_subprotocols(subprotocols: list[str]) -> str | None:
    if len(subprotocols) >= 2 and subprotocols[0] == BEARER_SUBPROTOCOL:
        return subprotocols[1]
    return None


def accepted_subprotocol(scope: dict) -> str | None:
    """The subprotocol a consumer must accept with, so the browser/app keeps the connection."""
    if bearer_token_from_subprotocols(scope.get("subprotocols", [])):
        return BEARER_SUBPROTOCOL
    return None


@database_sync_to_async
def _user_from_access_token(raw_token: str):
    try:
        token = AccessToken(raw_token)
    except TokenError:
        return AnonymousUser()
    user_id = token.get(jwt_settings.USER_ID_CLAIM)
    user = get_user_model().objects.filter(**{jwt_settings.USER_ID_FIELD: user_id}, is_active=True).first()
    return user or AnonymousUser()


class JwtSubprotocolAuthMiddleware(BaseMiddleware):
    """Sets scope["user"] from a bearer subprotocol when the session did not identify anyone."""

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        raw_token = bearer_token_from_subprotocols(scope.get("subprotocols", []))
        if raw_token and (user is None or not user.is_authenticated):
            scope = dict(scope, user=await _user_from_access_token(raw_token))
        return await super().__call__(scope, receive, send)


def WebsocketAuthMiddlewareStack(inner):  # noqa: N802 (mirrors Channels' AuthMiddlewareStack)
    return AuthMiddlewareStack(JwtSubprotocolAuthMiddleware(inner))
