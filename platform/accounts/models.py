"""Hypex accounts: one user model for shoppers and staff, and phone one-time-code challenges."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.abstract_models import AbstractUser


class User(AbstractUser):
    """A shopper or a staff member.

    Email is the login for pages and the API. A shopper who signed in with a phone code may have no
    email (NULL, never ""), so at least one of email and phone is always set. `phone` is E.164.
    """

    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, unique=True, null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["-date_joined"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False) | Q(anonymised_at__isnull=False),
                name="user_has_email_or_phone",
            )
        ]

    def __str__(self) -> str:
        return self.email or self.phone or f"user #{self.pk}"

    def clean(self) -> None:
        super().clean()
        self.email = self.email or None
        self.phone = self.phone or None


class PhoneChallenge(models.Model):
    """A one-time code sent by SMS. The code itself is never stored: only its keyed hash.

    At most one live challenge per (phone, purpose): asking for a new code supersedes the old one.
    """

    class Purpose(models.TextChoices):
        LOGIN = "login", _("Sign in")
        CHANGE_PHONE = "change_phone", _("Change phone number")

    class Delivery(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    phone = models.CharField(max_length=20, db_index=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.LOGIN)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.PENDING)
    delivery_error = models.CharField(max_length=300, blank=True)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["phone", "purpose", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} code for {self.phone}"

    @property
    def is_live(self) -> bool:
        return self.consumed_at is None and self.superseded_at is None and self.expires_at > timezone.now()


class MarketingOptOut(models.Model):
    """An email address that asked for no marketing mail (abandoned-basket reminders, and whatever
    marketing comes next); by address, so guests can opt out too. Mail a shopper asked for (a
    back-in-stock alert) still goes, with the unsubscribe link (ADR 0046)."""

    email = models.EmailField(unique=True)
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "marketing opt-out"

    def __str__(self) -> str:
        return self.email
