"""Bulk changes staff preview, confirm and may undo for a day: prices by a percentage, products moved
to a category.

One computation serves the preview and the write: `stockrecord_prices_plan` / `product_category_plan`
read the rows and call the same row planners (`_price_rows`, `_category_rows`) that the writes call
on the rows they hold locked, so the preview shows exactly what confirming writes (the same
`money_round`, the same floor of one cent). The preview's `digest` goes back with the confirmation:
when the rows changed in between, the write refuses (`BulkPlanStale`) and the page previews again.

Each confirmed change is recorded (`BulkChange` with a `BulkChangeRow` per row: before and after).
`bulk_change_undo` restores the before values within `UNDO_WINDOW`, row by row, only where the row
still holds the value the change wrote; any other row is left alone and its reason recorded.

Locks: stock records by id (ADR 0010's order), products by id; an undo locks its `BulkChange` first.
The writes are bulk (no model signals), so each invalidates the catalogue cache (ADR 0023) and records
its rows in the audit trail itself, source `bulk`, grouped as `bulk:<change id>` (ADR 0047).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from oscar.core.loading import get_model

from apibase.money import CENT, money_display, money_round
from audittrail.context import audit_context
from audittrail.models import Source
from audittrail.selectors import bulk_change_group
from audittrail.services import audit_values_record
from catalogue.cache import catalogue_cache_invalidate
from catalogue.catalogue.product_events import product_updated_collect

from .models import BulkChange, BulkChangeRow
from .services import MAX_PERCENT, MIN_PERCENT, BackofficeError, products_with_variants

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

#: How long a bulk change can be undone.
UNDO_WINDOW = timedelta(hours=24)
RESTORED = "restored"


class BulkPlanStale(BackofficeError):
    """The rows changed between the preview and the confirmation: nothing was written."""


@dataclass(frozen=True)
class PlannedRow:
    """One row a bulk change will write: `before`/`after` as stored (JSON), and as a page shows them."""

    target_id: int
    product_id: int
    label: str
    before: object
    after: object
    before_display: str
    after_display: str


@dataclass(frozen=True)
class BulkPlan:
    action: str
    summary: str
    rows: tuple[PlannedRow, ...]

    @property
    def product_count(self) -> int:
        return len({row.product_id for row in self.rows})

    @property
    def digest(self) -> str:
        """A fingerprint of every row's before and after: equal plans have equal digests."""
        data = [[row.target_id, row.before, row.after] for row in self.rows]
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


# -- Prices ----------------------------------------------------------------------------------------


def percent_validate(percent) -> Decimal:
    if not isinstance(percent, Decimal) or not percent.is_finite():
        raise BackofficeError("The percentage must be a number.")
    if not MIN_PERCENT <= percent <= MAX_PERCENT:
        raise BackofficeError(f"The percentage must be between {MIN_PERCENT} and {MAX_PERCENT}.")
    return percent


def price_after_change(price: Decimal, *, percent: Decimal) -> Decimal:
    """The new price: `price` changed by `percent`, rounded half up to the cent, never below a cent."""
    return max(money_round(price * (1 + percent / 100)), CENT)


def _price_rows(records: Iterable, *, percent: Decimal) -> tuple[PlannedRow, ...]:
    rows = []
    for record in records:
        new_price = price_after_change(record.price, percent=percent)
        if new_price == record.price:
            continue
        rows.append(
            PlannedRow(
                target_id=record.pk,
                product_id=record.product.parent_id or record.product_id,  # a variant counts as its product
                label=f"{record.product.get_title()} · {record.partner.name}"
                + (f" ({record.partner_sku})" if record.partner_sku else ""),
                before=str(record.price),
                after=str(new_price),
                before_display=money_display(record.price, record.price_currency),
                after_display=money_display(new_price, record.price_currency),
            )
        )
    return tuple(rows)


def _priced_records(products: QuerySet) -> QuerySet:
    return (
        StockRecord.objects.filter(product__in=products_with_variants(products), price__isnull=False)
        .select_related("product__parent", "partner")
        .order_by("pk")
    )


def _percent_summary(percent: Decimal) -> str:
    return f"{'+' if percent > 0 else ''}{percent.normalize():f}%"


def stockrecord_prices_plan(*, products: QuerySet, percent: Decimal) -> BulkPlan:
    """What changing every partner price of `products` (and their variants) by `percent` would write;
    reads only. Records whose price would not change are left out."""
    percent = percent_validate(percent)
    rows = _price_rows(_priced_records(products), percent=percent)
    return BulkPlan(action=BulkChange.Action.PRICES, summary=_percent_summary(percent), rows=rows)


def stockrecord_prices_change(
    *, products: QuerySet, percent: Decimal, by=None, digest: str | None = None
) -> BulkChange:
    """Change every partner price of the products and their variants by `percent` (e.g. -10 or 12.5),
    as `stockrecord_prices_plan` previewed it, and record the change for undo.

    The records are locked by id, then planned again from the locked rows; with `digest` (the
    preview's), a plan that differs raises `BulkPlanStale` and writes nothing.
    """
    percent = percent_validate(percent)
    with transaction.atomic():
        records = list(_priced_records(products).select_for_update(of=("self",)))
        plan = BulkPlan(
            action=BulkChange.Action.PRICES,
            summary=_percent_summary(percent),
            rows=_price_rows(records, percent=percent),
        )
        _check_fresh(plan, digest)
        by_pk = {record.pk: record for record in records}
        changed = []
        for row in plan.rows:
            record = by_pk[row.target_id]
            record.price = Decimal(row.after)
            changed.append(record)
        StockRecord.objects.bulk_update(changed, ["price"])
        if changed:
            catalogue_cache_invalidate()
            product_updated_collect(product_ids=[record.product_id for record in changed])  # webhooks (ADR 48)
        change = _record(plan, by=by)
        _audit_prices(change, [(by_pk[row.target_id], row.before, row.after) for row in plan.rows], by=by)
        return change


# -- Categories ------------------------------------------------------------------------------------


def _category_rows(products: Iterable, *, category) -> tuple[PlannedRow, ...]:
    rows = []
    for product in products:
        current = sorted(product.categories.all(), key=lambda c: c.pk)
        before = [c.pk for c in current]
        if before == [category.pk]:
            continue
        rows.append(
            PlannedRow(
                target_id=product.pk,
                product_id=product.pk,
                label=product.get_title(),
                before=before,
                after=[category.pk],
                before_display=", ".join(c.name for c in current) or "-",
                after_display=category.name,
            )
        )
    return tuple(rows)


def _movable_products(products: QuerySet) -> QuerySet:
    ids = products.exclude(structure=Product.CHILD).values_list("pk", flat=True)
    return Product.objects.filter(pk__in=list(ids)).order_by("pk")


def _category_checked(category):
    if category is None or not Category.objects.filter(pk=category.pk).exists():
        raise BackofficeError("Choose a category to move the products to.")
    return category


def product_category_plan(*, products: QuerySet, category) -> BulkPlan:
    """What putting `products` in `category` only would write (variants have no categories of their
    own and are skipped; products already in exactly that category are left out); reads only."""
    category = _category_checked(category)
    rows = _category_rows(_movable_products(products).prefetch_related("categories"), category=category)
    return BulkPlan(action=BulkChange.Action.CATEGORY, summary=f"to {category.name}", rows=rows)


def product_category_move(*, products: QuerySet, category, by=None, digest: str | None = None) -> BulkChange:
    """Put the products in `category` only, as `product_category_plan` previewed it, and record the
    change for undo. Products are locked by id; a stale `digest` raises `BulkPlanStale`."""
    category = _category_checked(category)
    with transaction.atomic():
        locked = list(_movable_products(products).select_for_update())
        plan = BulkPlan(
            action=BulkChange.Action.CATEGORY,
            summary=f"to {category.name}",
            rows=_category_rows(_with_categories(locked), category=category),
        )
        _check_fresh(plan, digest)
        _categories_set({row.target_id: row.after for row in plan.rows})
        change = _record(plan, by=by)
        by_pk = {product.pk: product for product in locked}
        moved = [(by_pk[row.target_id], row.before_display, row.after_display) for row in plan.rows]
        _audit_categories(change, moved, by=by)
        return change


def _with_categories(products: list) -> list:
    """The locked products with their categories prefetched (one query)."""
    from_db = Product.objects.filter(pk__in=[p.pk for p in products]).prefetch_related("categories").order_by("pk")
    return list(from_db)


def _categories_set(wanted: dict[int, list[int]]) -> None:
    """Give each product exactly the categories listed (ids); one delete and one insert. The audit trail
    records the products' categories as one change each (`_audit_categories`), not the link rows."""
    if not wanted:
        return
    with disable_auditlog():
        ProductCategory.objects.filter(product_id__in=list(wanted)).delete()
    ProductCategory.objects.bulk_create(
        [ProductCategory(product_id=product_id, category_id=c) for product_id, ids in wanted.items() for c in ids]
    )
    catalogue_cache_invalidate()
    product_updated_collect(product_ids=list(wanted))  # webhooks (ADR 48)


# -- Record and undo -------------------------------------------------------------------------------


def _audit_prices(change: BulkChange, rows: list, *, by) -> None:
    """(stock record, price before, price after) of each row, in the audit trail."""
    with audit_context(source=Source.BULK, actor=by, cid=bulk_change_group(change.pk)):
        audit_values_record(
            model=StockRecord,
            rows=[(record, {"price": (before, after)}) for record, before, after in rows],
            label=_record_label,
        )


def _audit_categories(change: BulkChange, rows: list, *, by) -> None:
    """(product, categories before, categories after) of each row, in the audit trail."""
    with audit_context(source=Source.BULK, actor=by, cid=bulk_change_group(change.pk)):
        audit_values_record(
            model=Product, rows=[(product, {"categories": (before, after)}) for product, before, after in rows]
        )


def _record_label(record) -> str:
    return f"{record.product.get_title()} at {record.partner.name} ({record.partner_sku})"


def _check_fresh(plan: BulkPlan, digest: str | None) -> None:
    if digest is not None and digest != plan.digest:
        raise BulkPlanStale("The rows changed since the preview; nothing was written. Check the new preview.")
    if not plan.rows:
        raise BackofficeError("Nothing would change.")


def _record(plan: BulkPlan, *, by) -> BulkChange:
    change = BulkChange.objects.create(action=plan.action, summary=plan.summary[:200], created_by=by)
    BulkChangeRow.objects.bulk_create(
        [
            BulkChangeRow(
                bulk_change=change, target_id=row.target_id, label=row.label[:300], before=row.before, after=row.after
            )  # fmt: skip
            for row in plan.rows
        ]
    )
    return change


def bulk_change_undoable_until(change: BulkChange):
    return change.created_at + UNDO_WINDOW


def bulk_change_undo(*, bulk_change: BulkChange, by=None) -> tuple[int, list[str]]:
    """Restore the before values of a bulk change made less than `UNDO_WINDOW` ago, once.

    A row is restored only when it still holds the value the change wrote; otherwise it is left alone
    and the reason is recorded on the row and returned. Returns (rows restored, reasons of rows
    refused). Raises `BackofficeError` when the whole change cannot be undone (undone already, too old).
    """
    with transaction.atomic():
        change = BulkChange.objects.select_for_update().get(pk=bulk_change.pk)
        if change.undone_at is not None:
            raise BackofficeError(f"This change was already undone ({change.undone_at:%Y-%m-%d %H:%M} UTC).")
        if timezone.now() > bulk_change_undoable_until(change):
            raise BackofficeError("A bulk change can be undone for 24 hours only; this one is older.")
        rows = list(change.rows.all())
        if change.action == BulkChange.Action.PRICES:
            outcomes = _prices_restore(rows, change=change, by=by)
        else:
            outcomes = _categories_restore(rows, change=change, by=by)
        for row in rows:
            row.undo_outcome = outcomes[row.pk][:200]
        BulkChangeRow.objects.bulk_update(rows, ["undo_outcome"])
        change.undone_at, change.undone_by = timezone.now(), by
        change.save(update_fields=["undone_at", "undone_by"])
    refused = [f"{row.label}: {row.undo_outcome}" for row in rows if row.undo_outcome != RESTORED]
    return len(rows) - len(refused), refused


def _prices_restore(rows: list[BulkChangeRow], *, change: BulkChange, by) -> dict[int, str]:
    records = {
        record.pk: record
        for record in StockRecord.objects.select_for_update(of=("self",))
        .filter(pk__in=[row.target_id for row in rows])
        .select_related("product__parent", "partner")
        .order_by("pk")
    }
    outcomes, restored = {}, []
    for row in rows:
        record = records.get(row.target_id)
        if record is None:
            outcomes[row.pk] = "not restored: the stock record no longer exists"
        elif record.price != Decimal(row.after):
            outcomes[row.pk] = f"not restored: the price was changed since (now {record.price}, not {row.after})"
        else:
            record.price = Decimal(row.before)
            restored.append((record, row.after, row.before))
            outcomes[row.pk] = RESTORED
    StockRecord.objects.bulk_update([record for record, _after, _before in restored], ["price"])
    if restored:
        catalogue_cache_invalidate()
        product_updated_collect(product_ids=[record.product_id for record, _after, _before in restored])  # ADR 48
        _audit_prices(change, restored, by=by)
    return outcomes


def _categories_restore(rows: list[BulkChangeRow], *, change: BulkChange, by) -> dict[int, str]:
    ids = [row.target_id for row in rows]
    locked = {p.pk for p in Product.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    current: dict[int, list[int]] = {pk: [] for pk in locked}
    for product_id, category_id in ProductCategory.objects.filter(product_id__in=locked).values_list(
        "product_id", "category_id"
    ):
        current[product_id].append(category_id)
    existing = set(Category.objects.filter(pk__in={c for row in rows for c in row.before}).values_list("pk", flat=True))
    outcomes, wanted = {}, {}
    for row in rows:
        if row.target_id not in locked:
            outcomes[row.pk] = "not restored: the product no longer exists"
        elif sorted(current[row.target_id]) != row.after:
            outcomes[row.pk] = "not restored: its categories were changed since"
        elif not set(row.before) <= existing:
            outcomes[row.pk] = "not restored: a category it was in no longer exists"
        else:
            wanted[row.target_id] = row.before
            outcomes[row.pk] = RESTORED
    _categories_set(wanted)
    by_product = {row.target_id: row for row in rows if row.target_id in wanted}
    named = {c for row in by_product.values() for c in (*row.before, *row.after)}
    names = dict(Category.objects.filter(pk__in=named).values_list("pk", "name"))

    def shown(ids: list[int]) -> str:
        return ", ".join(names.get(c, str(c)) for c in ids) or "-"

    restored = Product.objects.filter(pk__in=list(wanted)).order_by("pk")
    _audit_categories(
        change,
        [(p, shown(by_product[p.pk].after), shown(by_product[p.pk].before)) for p in restored],
        by=by,
    )
    return outcomes
