"""Returns (RMA): the merchant's policy and reasons, the customer's requests and their lines, and the
record of each email sent about a request (docs/adr/0044-returns-and-refunds.md).

A request moves requested -> approved | rejected (once every line has a decision), approved ->
received -> refunded. Lines carry the decision, the staff note and whether the units went back into
stock; the amounts refunded and kept as restocking fees are stored on the request when it is refunded.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReturnPolicy(models.Model):
    """The shop's one return policy (row 1; `selectors.return_policy` creates it with the defaults)."""

    window_days = models.PositiveSmallIntegerField(
        _("return window (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days after delivery during which customers may ask to return items."),
    )
    instructions = models.TextField(
        _("instructions"), blank=True, help_text=_("Shown to the customer once a return is approved, and in emails.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("return policy")
        verbose_name_plural = _("return policy")

    def __str__(self) -> str:
        return f"Returns within {self.window_days} days of delivery"


class ReturnReason(models.Model):
    """Why a customer returns a line. Only active reasons are offered; a restocking fee (a percentage of
    the refunded line's price) is kept from the refund of lines returned for this reason."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("accepted"), default=True, help_text=_("Offered to customers."))
    restocking_fee_percent = models.DecimalField(
        _("restocking fee (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Kept from the refund of a line returned for this reason; 0 for none."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("position", "pk")
        verbose_name = _("return reason")
        verbose_name_plural = _("return reasons")

    def __str__(self) -> str:
        return self.name


class ReturnRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RECEIVED = "received", _("Received")
        REFUNDED = "refunded", _("Refunded")

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="return_requests")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Empty for a guest."),
    )  # fmt: skip
    comment = models.TextField(_("customer's comment"), blank=True)
    currency = models.CharField(max_length=12)
    refund_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    fee_amount = models.DecimalField(_("restocking fees"), max_digits=12, decimal_places=2, null=True, blank=True)
    refund_event = models.ForeignKey(
        "order.PaymentEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")

    def __str__(self) -> str:
        return f"Return {self.pk} of order {self.order.number}" if self.order_id else f"Return {self.pk}"


class ReturnLine(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("order.Line", on_delete=models.PROTECT, related_name="return_lines")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    reason = models.ForeignKey(ReturnReason, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    staff_note = models.TextField(_("note to the customer"), blank=True)
    restocked = models.BooleanField(
        null=True, blank=True, help_text=_("Whether the units went back into stock (set when received).")
    )

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["request", "order_line"], name="returns_line_once_per_request"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="returns_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.order_line.title}" if self.order_line_id else str(self.quantity)


class ReturnNotification(models.Model):
    """An email sent about a return request: the record that keeps a retried delivery from sending it
    twice (unique per request and kind)."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20)
    recipient = models.CharField(max_length=254)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "kind"], name="returns_notification_once")]
