"""Server-side state of the API layer: websocket tickets (ADR 0026), Idempotency-Keys (ADR 0011)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


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


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` a client sent, with the first response it got (apibase.idempotency).

    Unique per (scope, key): the scope is who sent it (an account, or an anonymous basket), so two
    clients never share keys. Kept 24 hours (`IDEMPOTENCY_KEY_TTL`); `apibase.tasks` purges old ones.
    The table keeps the name it had when the model lived in `checkout` (moved state-only, no copy).
    """

    RUNNING, DONE = "running", "done"

    scope = models.CharField(max_length=200)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    state = models.CharField(max_length=10, choices=[(RUNNING, "Running"), (DONE, "Done")], default=RUNNING)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "checkout_idempotencykey"
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="checkout_idempotency_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} ({self.state})"
