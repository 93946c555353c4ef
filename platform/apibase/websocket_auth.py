"""Who is on the other end of a websocket, and from which site.

- Browsers (pages) authenticate with the session cookie. A browser always sends `Origin`; it must be
  one of ALLOWED_HOSTS, or the handshake is refused (cross-site websocket hijacking).
- Apps send their JWT access token as a subprotocol pair, `Sec-WebSocket-Protocol: bearer, <token>`
  (the consumer answers with `bearer`), or a short-lived ticket from `POST /api/v1/support/tickets/`
  as `?ticket=`. Without an Origin header, only these count: a session cookie alone is ignored.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.http.request import validate_host
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import AccessToken

BEARER_SUBPROTOCOL = "bearer"
TICKET_SALT = "hypex.websocket.ticket"
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


def ticket_issue(*, user_id: int | None, session_key: str | None) -> str:
    return signing.dumps({"u": user_id, "s": session_key}, salt=TICKET_SALT, compress=True)


def ticket_read(ticket: str) -> dict | None:
    try:
        return signing.loads(ticket, salt=TICKET_SALT, max_age=settings.SUPPORT_TICKET_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None


def _origin(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"origin":
            return value.decode("latin1")
    return None


def _active_user(**lookup):
    user = get_user_model().objects.filter(is_active=True, **lookup).first()
    return user or AnonymousUser()


@database_sync_to_async
def _user_from_access_token(raw_token: str):
    try:
        token = AccessToken(raw_token)
    except TokenError:
        return AnonymousUser()
    return _active_user(**{jwt_settings.USER_ID_FIELD: token.get(jwt_settings.USER_ID_CLAIM)})


@database_sync_to_async
def _user_from_id(user_id: int | None):
    return _active_user(pk=user_id) if user_id else AnonymousUser()


class OriginPolicyMiddleware(BaseMiddleware):
    """Refuse foreign origins; remember whether the client was a browser (sent an Origin)."""

    async def __call__(self, scope, receive, send):
        origin = _origin(scope)
        if origin is not None:
            host = urlparse(origin).hostname or ""
            if not validate_host(host, settings.ALLOWED_HOSTS):
                await send({"type": "websocket.close", "code": CLOSE_FORBIDDEN_ORIGIN})
                return None
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
        ticket = parse_qs(scope.get("query_string", b"").decode()).get("ticket", [None])[0]
        if ticket and (data := ticket_read(ticket)) is not None:
            scope["user"] = await _user_from_id(data.get("u"))
            scope["ws_session_key"] = data.get("s")
        return await super().__call__(scope, receive, send)


def WebsocketAuthMiddlewareStack(inner):  # noqa: N802 (mirrors Channels' AuthMiddlewareStack)
    return OriginPolicyMiddleware(AuthMiddlewareStack(TokenAuthMiddleware(inner)))
