from django.db import models
from django.utils import timezone
from oscar.apps.checkout.models import *  # noqa: F401,F403


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
