"""The one place that sees a stock record change state: sold out -> back in stock (ADR 0046).

Stock changes by many paths (the admin, the variant grid's bulk update, imports, an order
cancelled: Oscar releases the allocation with a queryset update and sends `post_save` itself). Rather than
trust each to signal, `stock_transitions_detect` compares each record's free stock (in stock - allocated) with the value
it saw last (`partner.StockLevel`) and reports what changed. It runs:

- at commit of any transaction that saved a stock record (`stock_transitions_after_commit`, called by the
  `post_save` receiver in `partner.receivers`, and by the writers that send no signals: the variant grid,
  the stock import): those paths are seen at once;
- every minute over every tracked record (`catalogue.partner.tasks.stock_transitions_scan`): the paths
  that update rows without signals are seen within a minute.

A transition is reported once: the stored level is updated under its row lock in the same transaction.
Reactions to a transition are written here, in that transaction: the back-in-stock mails
(`STOCK_BACK_IN_STOCK_TOPIC` to the outbox, handled by `catalogue.alerts.handlers`) and the webhooks
`stock.back_in_stock` and `stock.low` (`stock_events.stock_event_publish`, ADR 0048). Each transition also says
whether the record `became_low` (below its low-stock threshold, the rule of the dashboard) or `sold_out`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.selectors import stock_free_expression, stock_threshold_expression
from eventhooks.events import STOCK_BACK_IN_STOCK, STOCK_LOW
from eventhooks.selectors import webhook_event_subscribed
from sideeffects.services import outbox_message_add

from .stock_events import stock_event_publish

StockRecord = get_model("partner", "StockRecord")
StockLevel = get_model("partner", "StockLevel")

#: Outbox topic written for every record that came back in stock; payload {"product_id", "stockrecord_id"}.
STOCK_BACK_IN_STOCK_TOPIC = "catalogue.stock_back_in_stock"


@dataclass(frozen=True)
class StockTransition:
    """A stock record whose free stock changed since last seen. `before` is None the first time a record
    is seen (no transition is reported for it then) or when it tracked no stock."""

    stockrecord_id: int
    product_id: int
    parent_id: int | None
    before: int | None
    after: int | None
    #: the record's low-stock threshold (its own, else the shop's default; ADR 16)
    threshold: int = 0

    @property
    def back_in_stock(self) -> bool:
        return self.before is not None and self.before <= 0 and (self.after is None or self.after > 0)

    @property
    def became_low(self) -> bool:
        """Free stock fell below the threshold now, and some is still left (`sold_out` is the other case)."""
        return (
            self.after is not None
            and 0 < self.after < self.threshold
            and (self.before is None or self.before >= self.threshold)
        )

    @property
    def sold_out(self) -> bool:
        return self.after is not None and self.after <= 0 and (self.before is None or self.before > 0)


def stock_transitions_detect(*, stockrecord_ids: Iterable[int] | None = None) -> list[StockTransition]:
    """Compare the free stock of the given stock records (all when None) with what was seen last, store
    the new values and return the changes (first sightings only set the baseline). For each record back
    in stock, write a `STOCK_BACK_IN_STOCK_TOPIC` outbox message in the same transaction.

    Takes the `StockLevel` row locks (never the stock records' own locks) in id order, so it can run
    beside a checkout; a concurrent run waits and then sees nothing new."""
    ids = None if stockrecord_ids is None else sorted(set(stockrecord_ids))
    transitions = []
    with transaction.atomic():
        # the levels are locked first and the stock read after, so two runs never compare stale reads
        levels = StockLevel.objects.select_for_update().order_by("pk")
        records = StockRecord.objects.order_by("pk")
        if ids is not None:
            levels, records = levels.filter(pk__in=ids), records.filter(pk__in=ids)
        seen = {level.pk: level for level in levels}
        current = {
            pk: (product_id, parent_id, free, threshold)
            for pk, product_id, parent_id, free, threshold in records.annotate(
                free=stock_free_expression(), threshold=stock_threshold_expression()
            ).values_list("pk", "product_id", "product__parent_id", "free", "threshold")
        }
        new_levels, changed_levels, now = [], [], timezone.now()
        for pk, (product_id, parent_id, free, threshold) in current.items():
            level = seen.get(pk)
            if level is None:
                new_levels.append(StockLevel(stockrecord_id=pk, free=free))
                continue
            if level.free == free:
                continue
            transitions.append(
                StockTransition(
                    stockrecord_id=pk,
                    product_id=product_id,
                    parent_id=parent_id,
                    before=level.free,
                    after=free,
                    threshold=threshold,
                )  # fmt: skip
            )
            level.free = free
            level.date_updated = now
            changed_levels.append(level)
        # one UPDATE for all the changed levels: a checkout of many lines checks them all at once
        StockLevel.objects.bulk_update(changed_levels, ["free", "date_updated"])
        StockLevel.objects.bulk_create(new_levels, ignore_conflicts=True)
        _webhooks_publish(transitions)
        for change in transitions:
            if change.back_in_stock:
                outbox_message_add(
                    topic=STOCK_BACK_IN_STOCK_TOPIC,
                    payload={"product_id": change.product_id, "stockrecord_id": change.stockrecord_id},
                )
    return transitions


def _webhooks_publish(transitions: list[StockTransition]) -> None:
    """`stock.back_in_stock` and `stock.low` for the apps that subscribe (ADR 0048); no query when none do."""
    wanted = []
    for event, happened in ((STOCK_BACK_IN_STOCK, "back_in_stock"), (STOCK_LOW, "became_low")):
        changed = [t.stockrecord_id for t in transitions if getattr(t, happened)]
        if changed and webhook_event_subscribed(event=event):
            wanted += [(event, pk) for pk in changed]
    if not wanted:
        return
    records = StockRecord.objects.select_related("product", "partner").in_bulk({pk for _event, pk in wanted})
    for event, pk in wanted:
        stock_event_publish(stockrecord=records[pk], event=event)


def stock_transitions_after_commit(*, stockrecord_ids: Iterable[int]) -> None:
    """Run `stock_transitions_detect` for these records once the current transaction commits (at once
    outside a transaction). Call wherever a stock record is written. Robust: a failure is logged, never
    turned into an error of the request that already committed; the minute scan sees the change later."""
    ids = sorted(set(stockrecord_ids))
    if ids:
        transaction.on_commit(lambda: stock_transitions_detect(stockrecord_ids=ids), robust=True)
