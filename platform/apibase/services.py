"""Writes of the API layer: websocket tickets (ADR 0026).

`POST /api/v1/support/tickets/` issues one; the websocket handshake consumes it. A ticket is an opaque
random string (`secrets.token_urlsafe`), says nothing by itself, works once, and expires after
SUPPORT_TICKET_MAX_AGE_SECONDS. It lives in the database (not only in Redis), so tickets keep working
while Redis is down and every ASGI worker sees the same state.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import WebsocketTicket

TICKET_MAX_LENGTH = 128


@dataclass(frozen=True)
class TicketHolder:
    user_id: int | None
    session_key: str | None


def _key_hash(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


def websocket_ticket_issue(*, user_id: int | None, session_key: str | None) -> str:
    """Store a new ticket for a user and/or a guest session; return the string the client shows.
    Expired tickets are purged here, so the table never holds more than a minute of issues."""
    now = timezone.now()
    WebsocketTicket.objects.filter(expires_at__lte=now).delete()
    ticket = secrets.token_urlsafe(32)
    WebsocketTicket.objects.create(
        key_hash=_key_hash(ticket),
        user_id=user_id,
        session_key=session_key or "",
        expires_at=now + timedelta(seconds=settings.SUPPORT_TICKET_MAX_AGE_SECONDS),
    )
    return ticket


def websocket_ticket_consume(*, ticket: str) -> TicketHolder | None:
    """Use a ticket up: who it stands for, or None if it is unknown, expired or already used.

    The row is deleted with a conditional DELETE, and only the caller whose DELETE removed it wins:
    two handshakes racing with one ticket cannot both get it.
    """
    if not ticket or len(ticket) > TICKET_MAX_LENGTH or "\x00" in ticket:
        return None
    live = WebsocketTicket.objects.filter(key_hash=_key_hash(ticket), expires_at__gt=timezone.now())
    row = live.first()
    if row is None:
        return None
    deleted, _ = live.delete()
    if not deleted:
        return None
    return TicketHolder(user_id=row.user_id, session_key=row.session_key or None)
