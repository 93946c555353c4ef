from django.db import models
from oscar.apps.partner.models import *  # noqa: F403


class StockLevel(models.Model):
    """The free stock (in stock - allocated) of a stock record as `stock_transitions` last saw it, so a
    change of state (sold out -> back in stock) is seen once, whichever path changed the record (ADR 0046).
    `free` is None for a record that tracks no stock."""

    stockrecord = models.OneToOneField(
        "partner.StockRecord", on_delete=models.CASCADE, primary_key=True, related_name="stock_level"
    )
    free = models.IntegerField(null=True, blank=True)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "partner"
        verbose_name = "stock level seen"

    def __str__(self) -> str:
        return f"stock record {self.stockrecord_id}: {self.free}"
