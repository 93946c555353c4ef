"""Who is on the other end of a websocket, and from which site (ADR 0026).

- Browsers (pages) authenticate with the session cookie. A browser always sends `Origin`; it must be
  this site's own origin, scheme, host and port exact (apibase/websocket_origin.py), or the handshake is
  refused with 4403 before any consumer runs (cross-site websocket hijacking).
- Apps send their JWT access token as a subprotocol pair, `Sec-WebSocket-Protocol: bearer, <token>`
  (the consumer answers with `bearer`), or a ticket from `POST /api/v1/support/tickets/` as
  `?ticket=`: opaque, single-use, 60 seconds, looked up and consumed server side (apibase/services.py).
  A ticket that is unknown, expired or already used closes the handshake with 4401.
- Without an Origin header (not a browser), the session cookie is ignored: only a bearer token or a
  ticket identifies the client, so a cookie alone opens nothing (consumers that need someone close
  with 4401). Public sockets (`/ws/search/`) accept such clients.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.middleware import BaseMiddleware
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import AccessToken

from .services import websocket_ticket_consume
from .websocket_db import db_async
from .websocket_origin import header, origin_allowed

BEARER_SUBPROTOCOL = "bearer"
CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN_ORIGIN = 4403


def bearer_token_from_subprotocols(subprotocols: list[str]) -> str | None:
    if len(subprotocols) >= 2 and subprotocols[0] == BEARER_SUBPROTOCOL:
        return subprotocols[1]
    return None


def accepted_subprotocol(scope: dict) -> str | None:
    """The subprotocol a consumer must accept with, so the browser/app keeps the connection."""
    if bearer_token_from_subprotocols(scope.get("subprotocols", [])):
        return BEARER_SUBPROTOCOL
    return None


def _active_user(**lookup):
    user = get_user_model().objects.filter(is_active=True, **lookup).first()
    return user or AnonymousUser()


@db_async
def _user_from_access_token(raw_token: str):
    try:
        token = AccessToken(raw_token)
    except TokenError:
        return AnonymousUser()
    return _active_user(**{jwt_settings.USER_ID_FIELD: token.get(jwt_settings.USER_ID_CLAIM)})


@db_async
def _identity_from_ticket(ticket: str):
    holder = websocket_ticket_consume(ticket=ticket)
    if holder is None:
        return None
    return (_active_user(pk=holder.user_id) if holder.user_id else AnonymousUser()), holder.session_key


async def _refuse(receive, send, code: int) -> None:
    """Close during the handshake (the client sees an HTTP 403 and, in Channels' tests, `code`)."""
    await receive()  # websocket.connect
    await send({"type": "websocket.close", "code": code})


class OriginPolicyMiddleware(BaseMiddleware):
    """Refuse any Origin but our own; remember whether the client was a browser (sent an Origin)."""

    async def __call__(self, scope, receive, send):
        origin = header(scope, b"origin")
        if origin is not None and not origin_allowed(scope, origin):
            return await _refuse(receive, send, CLOSE_FORBIDDEN_ORIGIN)
        return await super().__call__(dict(scope, browser=origin is not None), receive, send)


class TokenAuthMiddleware(BaseMiddleware):
    """Bearer subprotocol or ticket; and no session identity for clients that sent no Origin."""

    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        if not scope.get("browser"):
            scope["user"] = AnonymousUser()
            scope["ws_session_key"] = None
        else:
            session = scope.get("session")
            scope["ws_session_key"] = session.session_key if session is not None else None
        raw_token = bearer_token_from_subprotocols(scope.get("subprotocols", []))
        if raw_token:
            scope["user"] = await _user_from_access_token(raw_token)
        query = parse_qs(scope.get("query_string", b"").decode("latin1"))
        if "ticket" in query:
            identity = await _identity_from_ticket(query["ticket"][0])
            if identity is None:
                return await _refuse(receive, send, CLOSE_NOT_AUTHENTICATED)
            scope["user"], scope["ws_session_key"] = identity
        return await super().__call__(scope, receive, send)


def WebsocketAuthMiddlewareStack(inner):  # noqa: N802 (mirrors Channels' AuthMiddlewareStack)
    return OriginPolicyMiddleware(AuthMiddlewareStack(TokenAuthMiddleware(inner)))
