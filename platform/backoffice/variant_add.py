"""The write behind "Add variants" on a parent product's screen: one new variant per chosen value of an
option attribute (ADR 0043). Like the grid's save (`variant_grid.py`), one transaction that invalidates
the anonymous catalogue cache after its commit (ADR 0023).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from oscar.core.loading import get_model

from apibase.money import money_round
from audittrail.services import audit_creates_record
from catalogue.cache import catalogue_cache_invalidate

from .services import BackofficeError
from .variant_grid import SKU_MAX_LENGTH, VALUE_FIELDS
from .variant_selectors import GRID_ATTRIBUTE_TYPES, variant_attributes, variant_option_ids

AttributeOption = get_model("catalogue", "AttributeOption")
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
StockRecord = get_model("partner", "StockRecord")


def product_variants_add(
    *,
    product,
    attribute_id: int,
    option_ids: Sequence[int],
    partner=None,
    price: Decimal | None = None,
    num_in_stock: int | None = None,
) -> list:
    """One new variant of `product` per chosen option of the attribute that no variant has yet, titled
    "<parent title>, <attribute> <option>", with that value set. Values every existing variant shares
    (e.g. their colour) are copied. With a partner, each gets a stock record there (SKU
    "<parent UPC or id>-<option>", the price and stock given). Returns the new variants (none when
    every chosen option is there already).

    Locks the parent product's row first, so two adds of the same values cannot both create them.
    """
    if not product.is_parent:
        raise BackofficeError("Only a parent product has variants.")
    attribute = next(
        (a for a in variant_attributes(product=product) if a.pk == attribute_id and a.type == "option"), None
    )
    if attribute is None:
        raise BackofficeError("Choose an option attribute of the product's type.")
    if (price is not None or num_in_stock is not None) and partner is None:
        raise BackofficeError("Choose the partner that holds the price and stock.")
    if price is not None and (not price.is_finite() or price < 0 or money_round(price) != price):
        raise BackofficeError("The price must be an amount of at least 0 with at most two decimal places.")
    if num_in_stock is not None and num_in_stock < 0:
        raise BackofficeError("The stock cannot be negative.")
    options = list(AttributeOption.objects.filter(group_id=attribute.option_group_id, pk__in=option_ids).order_by("pk"))
    if not options or len(options) != len(set(option_ids)):
        raise BackofficeError("Choose values of the attribute.")
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=product.pk).get()
        present = variant_option_ids(product=product, attribute_id=attribute.pk)
        options = [option for option in options if option.pk not in present]
        if not options:
            return []
        shared = _shared_values(product, exclude_attribute_id=attribute.pk)
        base = product.upc or f"P{product.pk}"
        skus = {option.pk: f"{base}-{slugify(option.option).upper()}"[:SKU_MAX_LENGTH] for option in options}
        if partner is not None:
            taken = set(
                StockRecord.objects.filter(partner=partner, partner_sku__in=skus.values()).values_list(
                    "partner_sku", flat=True
                )
            )
            if taken:
                raise BackofficeError(f"SKU {', '.join(sorted(taken))} is already used at {partner.name}.")
        variants = []
        for option in options:
            title = f"{product.title}, {attribute.name.lower()} {option.option}"
            variant = Product(
                parent=product,
                structure=Product.CHILD,
                title=title,
                slug=slugify(title)[:255] or "variant",
                is_public=product.is_public,
            )
            variant.save()
            variants.append((variant, option))
        values = ProductAttributeValue.objects.bulk_create(
            [
                ProductAttributeValue(product=variant, attribute=attribute, value_option=option)
                for variant, option in variants
            ]
            + [_copy_value(value, variant) for variant, _option in variants for value in shared]
        )
        names = {attribute.pk: attribute.name, **{value.attribute_id: value.attribute.name for value in shared}}
        audit_creates_record(objects=values, label=lambda value: f"{value.product.title}: {names[value.attribute_id]}")
        if partner is not None:
            currency = (
                StockRecord.objects.filter(product__parent=product, partner=partner)
                .values_list("price_currency", flat=True)
                .first()
                or settings.OSCAR_DEFAULT_CURRENCY
            )
            records = StockRecord.objects.bulk_create(
                StockRecord(
                    product=variant,
                    partner=partner,
                    partner_sku=skus[option.pk],
                    price=price,
                    price_currency=currency,
                    num_in_stock=num_in_stock,
                )
                for variant, option in variants
            )
            audit_creates_record(objects=records, label=lambda record: f"{record.product.title} ({record.partner_sku})")
        catalogue_cache_invalidate()
    return [variant for variant, _option in variants]


def _shared_values(product, *, exclude_attribute_id: int) -> list:
    """Attribute values every existing variant of `product` holds alike (other than the one being added)."""
    values = list(
        ProductAttributeValue.objects.filter(product__parent=product, attribute__type__in=GRID_ATTRIBUTE_TYPES)
        .exclude(attribute_id=exclude_attribute_id)
        .select_related("attribute")
        .order_by("pk")
    )
    variant_count = Product.objects.filter(parent=product).count()
    by_attribute: dict[int, list] = {}
    for value in values:
        by_attribute.setdefault(value.attribute_id, []).append(value)
    return [
        held[0]
        for held in by_attribute.values()
        if variant_count and len(held) == variant_count and len({tuple(_raw(v)) for v in held}) == 1
    ]


def _raw(value) -> list:
    return [getattr(value, name if name != "value_option" else "value_option_id") for name in VALUE_FIELDS]


def _copy_value(value, variant):
    copy = ProductAttributeValue(product=variant, attribute_id=value.attribute_id)
    for name in VALUE_FIELDS:
        name = "value_option_id" if name == "value_option" else name
        setattr(copy, name, getattr(value, name))
    return copy
