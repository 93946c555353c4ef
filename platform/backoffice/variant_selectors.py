"""Reads for the variant grid of a parent product's screen (the writes are in `variant_grid.py`).

The grid has one row per variant and one column per variant attribute of the parent's product class
(the types a cell can edit: option, text, integer, float, true/false) and one column group (SKU,
price, stock) per partner that holds stock for the product family. Every read is a fixed number of
queries, however many variants the product has.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
AttributeOption = get_model("catalogue", "AttributeOption")
StockRecord = get_model("partner", "StockRecord")

#: Attribute types a grid cell edits; the others stay on the variant's own screen.
GRID_ATTRIBUTE_TYPES = ("option", "text", "integer", "float", "boolean")


@dataclass(frozen=True)
class GridAttribute:
    id: int
    code: str
    name: str
    type: str
    #: (option id, option text) for option attributes, in the option group's order; empty otherwise.
    options: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class GridPartner:
    id: int
    name: str
    #: The currency of the partner's records in the family (the shop's default for a partner without).
    currency: str


@dataclass(frozen=True)
class VariantGridColumns:
    attributes: tuple[GridAttribute, ...]
    partners: tuple[GridPartner, ...]


def _attributes(product) -> tuple[GridAttribute, ...]:
    product_class = product.get_product_class()
    if product_class is None:
        return ()
    attributes = list(
        ProductAttribute.objects.filter(product_class=product_class, type__in=GRID_ATTRIBUTE_TYPES).order_by("pk")
    )
    groups = {a.option_group_id for a in attributes if a.type == "option" and a.option_group_id}
    options: dict[int, list[tuple[int, str]]] = {}
    for option in AttributeOption.objects.filter(group_id__in=groups).order_by("pk"):
        options.setdefault(option.group_id, []).append((option.pk, option.option))
    return tuple(
        GridAttribute(
            id=a.pk,
            code=a.code,
            name=a.name,
            type=a.type,
            options=tuple(options.get(a.option_group_id, ())) if a.type == "option" else (),
        )
        for a in attributes
    )


def _partners(product) -> tuple[GridPartner, ...]:
    """Partners with stock records for the product's variants, by name; every partner when none has."""
    currencies: dict[int, str] = {}
    names: dict[int, str] = {}
    rows = StockRecord.objects.filter(product__parent=product).order_by("pk")
    for partner_id, name, currency in rows.values_list("partner_id", "partner__name", "price_currency"):
        currencies.setdefault(partner_id, currency)
        names[partner_id] = name
    if not names:
        names = dict(Partner.objects.values_list("pk", "name"))
    default = settings.OSCAR_DEFAULT_CURRENCY
    return tuple(
        GridPartner(id=pk, name=names[pk], currency=currencies.get(pk, default))
        for pk in sorted(names, key=lambda pk: (names[pk].lower(), pk))
    )


def variant_attributes(*, product) -> list:
    """The parent's product type's attributes a grid cell edits (model instances, for the services)."""
    product_class = product.get_product_class()
    if product_class is None:
        return []
    return list(ProductAttribute.objects.filter(product_class=product_class, type__in=GRID_ATTRIBUTE_TYPES))


def variant_grid_columns(*, product) -> VariantGridColumns:
    """The grid's columns for a parent product (three queries)."""
    return VariantGridColumns(attributes=_attributes(product), partners=_partners(product))


def variant_grid_queryset(queryset: QuerySet) -> QuerySet:
    """The variants with what a grid row shows prefetched: attribute values and stock records."""
    return queryset.order_by("pk").prefetch_related(
        Prefetch("attribute_values", queryset=ProductAttributeValue.objects.select_related("attribute")),
        Prefetch("stockrecords", queryset=StockRecord.objects.order_by("pk")),
    )


def variant_add_attributes(*, product) -> tuple[GridAttribute, ...]:
    """The option attributes "Add variants" offers, with their options (three queries)."""
    return tuple(a for a in _attributes(product) if a.type == "option" and a.options)


def variant_option_ids(*, product, attribute_id: int) -> set[int]:
    """The options of one attribute that the product's variants already have."""
    return set(
        ProductAttributeValue.objects.filter(
            product__parent=product, attribute_id=attribute_id, value_option__isnull=False
        ).values_list("value_option_id", flat=True)
    )
