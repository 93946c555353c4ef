"""Side reactions of the partner app: a saved stock record is checked for a change of state once the
transaction commits (`stock_transitions`, ADR 0046)."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from .stock_transitions import stock_transitions_after_commit

StockRecord = get_model("partner", "StockRecord")


@receiver(post_save, sender=StockRecord, dispatch_uid="partner.stock_transitions")
def stock_record_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    stock_transitions_after_commit(stockrecord_ids=[instance.pk])
