"""Oscar's order models, with the tax rates used, who-and-why on status changes and carrier/tracking on
shipping events."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import (
    AbstractLine,
    AbstractOrder,
    AbstractOrderStatusChange,
    AbstractShippingEvent,
)

TAX_RATE_HELP = _("0.2000 for 20%; empty on orders placed before rates were recorded.")


class Order(AbstractOrder):
    """An order, with the tax rate its shipping charge was taxed at (the destination's, ADR 0012)."""

    shipping_tax_rate = models.DecimalField(
        _("Shipping tax rate"), max_digits=6, decimal_places=4, null=True, blank=True, help_text=TAX_RATE_HELP
    )


class Line(AbstractLine):
    """An order line, with the tax rate its prices were taxed at (the destination's, ADR 0012)."""

    tax_rate = models.DecimalField(
        _("Tax rate"), max_digits=6, decimal_places=4, null=True, blank=True, help_text=TAX_RATE_HELP
    )


class OrderStatusChange(AbstractOrderStatusChange):
    """One step of an order's status history: who made it (None = the system) and why."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Changed by"),
    )
    note = models.TextField(_("Note"), blank=True)


class ShippingEvent(AbstractShippingEvent):
    """A fulfilment step; the customer sees carrier and tracking number."""

    carrier = models.CharField(_("Carrier"), max_length=64, blank=True)
    tracking_number = models.CharField(_("Tracking number"), max_length=128, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class OrderNotification(models.Model):
    """A message sent to the customer about an order: the record that keeps a retried task from
    sending it twice (unique per order, kind, reference and channel)."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Order confirmation")
        PAYMENT = "payment", _("Payment received")
        SHIPPING = "shipping", _("Shipped")
        CANCELLATION = "cancellation", _("Cancelled")
        REFUND = "refund", _("Refunded")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(
        max_length=64, blank=True, help_text=_("e.g. the shipping event id, or the refund's payment event id")
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "order"
        constraints = [
            models.UniqueConstraint(fields=["order", "kind", "reference", "channel"], name="order_notification_once")
        ]
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel} to {self.recipient}"


from oscar.apps.order.models import *  # noqa: E402,F401,F403
