"""Oscar's payment models (Source, Transaction) plus the attempts and webhook events of our gateways."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def _token() -> str:
    return secrets.token_urlsafe(24)


def attempt_token_new() -> str:
    """A fresh attempt token, for a gateway that names the attempt before it is written."""
    return _token()


class PaymentAttempt(models.Model):
    """One try at paying an order through a gateway (a Stripe PaymentIntent, a dummy pay page).

    `reference` is the gateway's id (Stripe `pi_...`); `token` names the attempt in our own URLs.
    The order is marked paid by `payment.services.payment_confirm` only, never here.
    """

    class Status(models.TextChoices):
        STARTED = "started", _("Started")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="payment_attempts")
    gateway = models.CharField(max_length=32)
    reference = models.CharField(max_length=255, blank=True, db_index=True)
    token = models.CharField(max_length=64, unique=True, default=_token)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.STARTED)
    failure_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "payment"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.gateway} {self.reference or self.token} ({self.status})"


class WebhookEvent(models.Model):
    """A gateway event we have processed: its id is unique, so a replayed event is recognised."""

    gateway = models.CharField(max_length=32)
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=128)
    outcome = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "payment"
        constraints = [models.UniqueConstraint(fields=["gateway", "event_id"], name="webhook_event_once")]
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.gateway} {self.event_type} {self.event_id}"


from oscar.apps.payment.models import *  # noqa: E402,F401,F403
