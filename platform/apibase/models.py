"""Server-side state of the API layer: websocket tickets (ADR 0026)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class WebsocketTicket(models.Model):
    """A single-use pass to open one websocket, valid for a minute.

    The client holds a random string; only its SHA-256 is stored, with who it stands for: a user, a
    guest's session key, or both. Consumed (deleted) by the first handshake that shows it.
    """

    key_hash = models.CharField(max_length=64, primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=40, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"websocket ticket until {self.expires_at:%H:%M:%S}"
