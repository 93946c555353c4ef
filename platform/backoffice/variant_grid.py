"""Writes behind the variant grid of a parent product's screen: every variant's title, UPC, visibility,
attribute values and stock and price per partner saved together, and new variants made from the
values of an attribute ("Add variants", in `variant_add.py`).

Each write is one transaction that first locks the family's stock records in id order (ADR 0010's
lock order: the same rows, the same order as checkout and the bulk price change), checks every cell
under those locks and writes nothing if any cell is wrong (`VariantGridInvalid` names each cell). The
writes are bulk (no model signals), so each invalidates the anonymous catalogue cache itself, after
its commit (ADR 0023).

A cell is named like the grid's form field: `title`, `upc`, `is_public`, `attr_<attribute id>`,
`sku_<partner id>`, `price_<partner id>`, `stock_<partner id>`; rows by their index in `rows`. The
grid's design: ADR 0043.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from oscar.core.loading import get_model

from apibase.money import money_round
from audittrail.services import audit_copies, audit_creates_record, audit_updates_record
from catalogue.cache import catalogue_cache_invalidate
from catalogue.partner.stock_transitions import stock_transitions_after_commit

from .services import BackofficeError
from .variant_selectors import variant_attributes

AttributeOption = get_model("catalogue", "AttributeOption")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
StockRecord = get_model("partner", "StockRecord")

#: Oscar's price column: 12 digits, 2 of them after the point.
MAX_PRICE = Decimal("9999999999.99")
SKU_MAX_LENGTH = 128
UPC_MAX_LENGTH = 64
VALUE_FIELDS = ["value_text", "value_integer", "value_float", "value_boolean", "value_option"]

Cell = tuple[int, str]


class VariantGridInvalid(BackofficeError):
    """Cells of the grid are wrong; `errors` maps (row index, cell name) to the message. Nothing was written."""

    def __init__(self, errors: Mapping[Cell, str]):
        self.errors = dict(errors)
        super().__init__(f"{len(self.errors)} cells of the variant grid are wrong.")


@dataclass(frozen=True)
class StockCell:
    """One partner's SKU, price and stock for a variant; all empty means "no stock record here"."""

    partner_id: int
    sku: str = ""
    price: Decimal | None = None
    num_in_stock: int | None = None

    @property
    def empty(self) -> bool:
        return not self.sku and self.price is None and self.num_in_stock is None


@dataclass(frozen=True)
class VariantRow:
    """A row of the grid. `variant_id` None is a new variant. `values` maps attribute ids to the cell's
    value (an option's id for option attributes; None clears it); attributes not given are left alone."""

    variant_id: int | None
    title: str = ""
    upc: str = ""
    is_public: bool = True
    values: Mapping[int, object] = field(default_factory=dict)
    stock: Sequence[StockCell] = ()
    delete: bool = False


@dataclass(frozen=True)
class VariantGridResult:
    created: int
    changed: int
    deleted: int


def _cell(kind: str, key: int) -> str:
    return f"{kind}_{key}"


def _locked_records(product) -> dict[tuple[int, int], object]:
    """The family's stock records, locked in id order; by (variant id, partner id)."""
    records = StockRecord.objects.select_for_update().filter(product__parent=product).order_by("pk")
    return {(r.product_id, r.partner_id): r for r in records}


def _check(product, rows: Sequence[VariantRow], records) -> dict[Cell, str]:
    errors: dict[Cell, str] = {}
    family = set(Product.objects.filter(parent=product).values_list("pk", flat=True))
    unknown = [row.variant_id for row in rows if row.variant_id is not None and row.variant_id not in family]
    if unknown:
        raise BackofficeError("The grid holds a variant of another product; reload the page.")
    live = [(index, row) for index, row in enumerate(rows) if not row.delete]
    attributes = {a.pk: a for a in variant_attributes(product=product)}
    options = _options_by_attribute(attributes.values())
    partners = set(Partner.objects.values_list("pk", flat=True))

    upcs = Counter(row.upc for _i, row in live if row.upc)
    upc_holders = {
        upc: (pk, title or parent_title)
        for upc, pk, title, parent_title in Product.objects.filter(upc__in=list(upcs)).values_list(
            "upc", "pk", "title", "parent__title"
        )
    }
    skus = Counter((cell.partner_id, cell.sku) for _i, row in live for cell in row.stock if cell.sku)
    sku_holders = {
        (partner_id, sku): (pk, title or parent_title)
        for pk, partner_id, sku, title, parent_title in StockRecord.objects.filter(
            partner_id__in={p for p, _s in skus}, partner_sku__in={s for _p, s in skus}
        ).values_list("pk", "partner_id", "partner_sku", "product__title", "product__parent__title")
    }

    for index, row in live:
        if len(row.upc) > UPC_MAX_LENGTH:
            errors[index, "upc"] = f"At most {UPC_MAX_LENGTH} characters."
        elif row.upc and upcs[row.upc] > 1:
            errors[index, "upc"] = f"UPC {row.upc} is in more than one row."
        elif row.upc and upc_holders.get(row.upc, (row.variant_id,))[0] != row.variant_id:
            errors[index, "upc"] = f"UPC {row.upc} is already used by {upc_holders[row.upc][1]}."
        for attribute_id, value in row.values.items():
            message = _value_error(attributes.get(attribute_id), value, options)
            if message:
                errors[index, _cell("attr", attribute_id)] = message
        for cell in row.stock:
            if cell.partner_id not in partners:
                raise BackofficeError("The grid holds an unknown partner; reload the page.")
            record = records.get((row.variant_id, cell.partner_id)) if row.variant_id else None
            errors.update(
                {(index, name): message for name, message in _stock_errors(cell, record, skus, sku_holders).items()}
            )
    return errors


def _stock_errors(cell: StockCell, record, skus: Counter, sku_holders: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    partner = cell.partner_id
    if record is None and cell.empty:
        return errors
    if not cell.sku:
        errors[_cell("sku", partner)] = "Enter the partner's SKU for this variant."
    elif len(cell.sku) > SKU_MAX_LENGTH:
        errors[_cell("sku", partner)] = f"At most {SKU_MAX_LENGTH} characters."
    elif skus[partner, cell.sku] > 1:
        errors[_cell("sku", partner)] = f"SKU {cell.sku} is in more than one row for this partner."
    else:
        holder = sku_holders.get((partner, cell.sku))
        if holder is not None and (record is None or holder[0] != record.pk):
            errors[_cell("sku", partner)] = f"SKU {cell.sku} is already used by {holder[1]} at this partner."
    price = cell.price
    if price is not None:
        if not isinstance(price, Decimal) or not price.is_finite():
            errors[_cell("price", partner)] = "Enter a number."
        elif price < 0:
            errors[_cell("price", partner)] = "The price cannot be negative."
        elif price > MAX_PRICE or money_round(price) != price:
            errors[_cell("price", partner)] = "Enter an amount with at most two decimal places."
    stock = cell.num_in_stock
    if stock is not None:
        if not isinstance(stock, int) or isinstance(stock, bool):
            errors[_cell("stock", partner)] = "Enter a whole number."
        elif stock < 0:
            errors[_cell("stock", partner)] = "The stock cannot be negative."
        elif record is not None and stock < (record.num_allocated or 0):
            errors[_cell("stock", partner)] = (
                f"{record.num_allocated} units are allocated to orders; the stock cannot be lower."
            )
    return errors


def _value_error(attribute, value, options: dict[int, set[int]]) -> str | None:
    if attribute is None:
        return "This attribute is not one of the product type's."
    if value is None or value == "":
        return None
    if attribute.type == "option" and value not in options.get(attribute.pk, set()):
        return "Choose one of the attribute's options."
    if attribute.type == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
        return "Enter a whole number."
    if attribute.type == "float" and (not isinstance(value, int | float) or not math.isfinite(value)):
        return "Enter a number."
    if attribute.type == "boolean" and not isinstance(value, bool):
        return "Choose yes or no."
    return None


def _options_by_attribute(attributes) -> dict[int, set[int]]:
    groups = {a.option_group_id: a.pk for a in attributes if a.type == "option" and a.option_group_id}
    options: dict[int, set[int]] = {pk: set() for pk in groups.values()}
    for pk, group_id in AttributeOption.objects.filter(group_id__in=groups).values_list("pk", "group_id"):
        options[groups[group_id]].add(pk)
    return options


def product_variants_check(*, product, rows: Sequence[VariantRow]) -> dict[Cell, str]:
    """The grid's wrong cells, by (row index, cell name); empty when every cell is right.

    Locks the family's stock records in id order first: called inside the transaction that will write
    (the admin's change form validates and saves in one), the check holds until the write.
    """
    with transaction.atomic():
        return _check(product, rows, _locked_records(product))


def product_variants_update(*, product, rows: Sequence[VariantRow]) -> VariantGridResult:
    """Save the grid of a parent product: delete the rows marked so, create the new rows' variants, and
    write every changed title, UPC, visibility, attribute value, SKU, price and stock in bulk.

    One transaction; the family's stock records are locked in id order before anything is read or
    written, and nothing is written when any cell is wrong (`VariantGridInvalid`). A partner cell left
    empty where the variant has no stock record creates none. Prices are in the record's currency (a
    new record takes the currency of the partner's other records in the family, else the shop's).
    """
    if not product.is_parent:
        raise BackofficeError("Only a parent product has variants.")
    with transaction.atomic():
        records = _locked_records(product)
        errors = _check(product, rows, records)
        if errors:
            raise VariantGridInvalid(errors)
        deleted = _delete(product, [row.variant_id for row in rows if row.delete and row.variant_id])
        live = [row for row in rows if not row.delete]
        variants, created = _variants(product, live)
        changed = _update_products(live, variants)
        changed |= _write_values(live, variants)
        changed |= _write_stock(product, live, variants, records)
        if created or changed or deleted:
            catalogue_cache_invalidate()
    return VariantGridResult(created=len(created), changed=len(changed - set(created)), deleted=deleted)


def _delete(product, ids: list[int]) -> int:
    if not ids:
        return 0
    deleted = Product.objects.filter(parent=product, pk__in=ids)
    count = deleted.count()
    deleted.delete()
    return count


def _variants(product, rows: list[VariantRow]) -> tuple[list, list[int]]:
    """The rows' variants in row order, the new ones created (few at a time, so one save each)."""
    existing = Product.objects.in_bulk([row.variant_id for row in rows if row.variant_id])
    variants, created = [], []
    for row in rows:
        if row.variant_id:
            variants.append(existing[row.variant_id])
            continue
        variant = Product(
            parent=product,
            structure=Product.CHILD,
            title=row.title,
            upc=row.upc or None,
            is_public=row.is_public,
            slug=slugify(row.title or product.title)[:255] or "variant",
        )
        variant.save()
        variants.append(variant)
        created.append(variant.pk)
    return variants, created


def _update_products(rows: list[VariantRow], variants: list) -> set[int]:
    """Titles, UPCs and visibility in one bulk write, recorded in the audit trail (ADR 0047)."""
    changed = []
    before = audit_copies(variants)
    now = timezone.now()
    for row, variant in zip(rows, variants, strict=True):
        new = (row.title, row.upc or None, row.is_public)
        if (variant.title, variant.upc, variant.is_public) != new:
            variant.title, variant.upc, variant.is_public = new
            variant.date_updated = now
            changed.append(variant)
    Product.objects.bulk_update(changed, ["title", "upc", "is_public", "date_updated"])
    audit_updates_record(objects=changed, before=before, fields=["title", "upc", "is_public"])
    return {variant.pk for variant in changed}


def _write_values(rows: list[VariantRow], variants: list) -> set[int]:
    attribute_ids = {attribute_id for row in rows for attribute_id in row.values}
    if not attribute_ids:
        return set()
    attributes = {pk: (kind, name) for pk, kind, name in ProductAttribute.objects.filter(pk__in=attribute_ids)
                  .values_list("pk", "type", "name")}  # fmt: skip
    types = {pk: kind for pk, (kind, _name) in attributes.items()}
    current = {
        (v.product_id, v.attribute_id): v
        for v in ProductAttributeValue.objects.filter(
            product_id__in=[variant.pk for variant in variants], attribute_id__in=attribute_ids
        )
    }
    before = audit_copies(current.values())
    to_create, to_update, to_delete, changed = [], [], [], set()
    for row, variant in zip(rows, variants, strict=True):
        for attribute_id, value in row.values.items():
            name = "value_option_id" if types[attribute_id] == "option" else f"value_{types[attribute_id]}"
            held = current.get((variant.pk, attribute_id))
            if value is None or value == "":
                if held is not None:
                    to_delete.append(held.pk)
                    changed.add(variant.pk)
                continue
            if held is None:
                held = ProductAttributeValue(product_id=variant.pk, attribute_id=attribute_id)
                setattr(held, name, value)
                to_create.append(held)
                changed.add(variant.pk)
            elif getattr(held, name) != value:
                setattr(held, name, value)
                to_update.append(held)
                changed.add(variant.pk)
    ProductAttributeValue.objects.filter(pk__in=to_delete).delete()
    ProductAttributeValue.objects.bulk_update(to_update, VALUE_FIELDS)
    ProductAttributeValue.objects.bulk_create(to_create)
    titles = {variant.pk: variant.title for variant in variants}

    def label(value) -> str:
        return f"{titles.get(value.product_id, '')}: {attributes[value.attribute_id][1]}"

    audit_updates_record(objects=to_update, before=before, fields=VALUE_FIELDS, label=label)
    audit_creates_record(objects=to_create, label=label)
    return changed


def _write_stock(product, rows: list[VariantRow], variants: list, records) -> set[int]:
    currencies: dict[int, str] = {}
    for (_variant_id, partner_id), record in records.items():
        currencies.setdefault(partner_id, record.price_currency)
    to_create, to_update, changed = [], [], set()
    before = audit_copies(records.values())
    titles = {variant.pk: variant.title or product.title for variant in variants}
    for row, variant in zip(rows, variants, strict=True):
        for cell in row.stock:
            record = records.get((variant.pk, cell.partner_id))
            if record is None:
                if not cell.empty:
                    to_create.append(
                        StockRecord(
                            product_id=variant.pk,
                            partner_id=cell.partner_id,
                            partner_sku=cell.sku,
                            price=cell.price,
                            price_currency=currencies.get(cell.partner_id, settings.OSCAR_DEFAULT_CURRENCY),
                            num_in_stock=cell.num_in_stock,
                        )
                    )
                    changed.add(variant.pk)
                continue
            new = (cell.sku, cell.price, cell.num_in_stock)
            if (record.partner_sku, record.price, record.num_in_stock) != new:
                record.partner_sku, record.price, record.num_in_stock = new
                record.date_updated = timezone.now()
                to_update.append(record)
                changed.add(variant.pk)
    StockRecord.objects.bulk_update(to_update, ["partner_sku", "price", "num_in_stock", "date_updated"])
    stock_transitions_after_commit(stockrecord_ids=[record.pk for record in to_update])  # bulk: no signals (ADR 46)
    StockRecord.objects.bulk_create(to_create)

    def label(record) -> str:
        return f"{titles.get(record.product_id, product.title)} ({record.partner_sku})"

    audit_updates_record(objects=to_update, before=before, fields=["partner_sku", "price", "num_in_stock"], label=label)
    audit_creates_record(objects=to_create, label=label)
    return changed
