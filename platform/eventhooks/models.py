"""Webhooks for apps (ADR 0048): endpoints, the events published to them, one delivery per event and
endpoint, and every attempt of a delivery."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookEndpoint(models.Model):
    """A URL a merchant's app listens on, the events it wants and the secret its deliveries are signed
    with. `previous_secret` still signs deliveries (a second `v1=`) until `previous_secret_expires_at`,
    so the app can switch secrets without missing one (rotation). `failing_since` is the first failure
    since the last success; an endpoint failing for `WEBHOOK_DISABLE_AFTER_HOURS` (and at least
    `WEBHOOK_DISABLE_MIN_FAILURES` times in a row) is disabled and its contact emailed."""

    url = models.URLField(max_length=500, help_text=_("HTTPS address that receives the events (POST, JSON)."))
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text=_("The event types sent to this endpoint."))
    enabled = models.BooleanField(default=True)
    secret = models.CharField(max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    contact_email = models.EmailField(
        blank=True, help_text=_("Who is told when the endpoint is disabled (else the staff who created it).")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.url

    def signing_secrets(self, *, now=None) -> list[str]:
        """The secrets that sign a delivery now: the current one, and the previous one while it is valid."""
        now = now or timezone.now()
        secrets = [self.secret]
        if self.previous_secret and self.previous_secret_expires_at and self.previous_secret_expires_at > now:
            secrets.append(self.previous_secret)
        return secrets


class WebhookEvent(models.Model):
    """Something that happened, as apps receive it: `event_id` (`evt_...`) is unique, so an app that
    receives a delivery twice (a retry, a resend) can tell."""

    event_id = models.CharField(max_length=40, unique=True)
    type = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["type", "created_at"], name="eventhooks_event_type")]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class WebhookDelivery(models.Model):
    """One event to one endpoint. Pending until an attempt answers 2xx (succeeded) or the retry window
    ends (failed); `next_attempt_at` is the back-off's next try (or a running attempt's lease)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    #: no retry is scheduled after this moment (the event's time + WEBHOOK_RETRY_HOURS; a resend: now)
    retry_until = models.DateTimeField()
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="eventhooks_one_delivery_per_endpoint")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="eventhooks_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event.type} -> {self.endpoint.url} ({self.status})"


class WebhookAttempt(models.Model):
    """One POST of a delivery: what the endpoint answered (or the error), and how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField(default=timezone.now)
    url = models.URLField(max_length=500)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-attempted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.status_code or self.error[:40]} in {self.latency_ms} ms"
