from django.db import models
from django.utils import timezone
from oscar.apps.checkout.models import *  # noqa: F401,F403


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` a client sent, with the first response it got (apibase.idempotency).

    Unique per (scope, key): the scope is who sent it (an account, or an anonymous basket), so two
    clients never share keys. Kept 24 hours (`IDEMPOTENCY_KEY_TTL`); `checkout.tasks` purges old ones.
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
        app_label = "checkout"
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="checkout_idempotency_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} ({self.state})"


class TaxRate(models.Model):
    """The sales tax rate for customers in one country (e.g. GB 20% VAT), set by the merchant in the
    admin. Countries without a rate are sold tax-free. Whether stock record prices already include tax
    is the shop-wide setting `SHOP_PRICES_INCLUDE_TAX`. Read by `catalogue.partner.strategy`."""

    country = models.OneToOneField("address.Country", on_delete=models.CASCADE, related_name="tax_rate")
    rate = models.DecimalField(max_digits=6, decimal_places=4, help_text="0.2000 for 20%.")
    name = models.CharField(max_length=64, default="VAT", help_text="Shown to customers, e.g. VAT.")

    class Meta:
        app_label = "checkout"
        ordering = ["country"]

    def __str__(self) -> str:
        return f"{self.country_id}: {self.rate * 100:.2f}% {self.name}"
