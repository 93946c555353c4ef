"""Products with variants, stock, prices, categories and attributes: one row per product or variant.

Columns: upc (the key), parent_upc (a variant's parent), structure (standalone/parent/child; by default
child when parent_upc is set, else standalone), product_class (name or slug; not for variants), title,
description, is_public, categories ("Clothing > Shirts; Homeware > Kitchen"; missing ones are created),
partner (code; optional with one partner), partner_sku, price, currency, num_in_stock, and one column
`attr:<code>` per attribute (options by their text, several options separated by ";").
A parent must come before its variants in the file (or exist already).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from import_export import fields, widgets
from import_export.instance_loaders import BaseInstanceLoader
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from apibase.fields import decimal_parse
from apibase.money import money_round

from .base import HypexResource, text
from .categories import SEPARATOR, category_paths, path_parts
from .product_batch import BATCH_SIZE, ProductBatch, attributes_preload, option_checks_preload

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductCategory = get_model("catalogue", "ProductCategory")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

ATTR_PREFIX = "attr:"
LIST_SEPARATOR = ";"
STRUCTURES = {Product.STANDALONE, Product.PARENT, Product.CHILD}
_TRUE, _FALSE = {"1", "true", "yes", "y", "on"}, {"0", "false", "no", "n", "off"}


def attribute_value_text(value) -> str:
    """An attribute value as an export cell (the inverse of `ProductResource.attribute_value_parse`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "all"):  # multi option manager / queryset
        return f"{LIST_SEPARATOR} ".join(str(option) for option in value.all())
    return str(value)


class ProductLoader(BaseInstanceLoader):
    """The file's existing products, loaded by UPC in a few queries (not one query per row)."""

    def __init__(self, resource, dataset=None) -> None:
        super().__init__(resource, dataset)
        upcs = sorted({text(v) for v in dataset["upc"]} - {""}) if "upc" in dataset.headers else []
        self.by_upc = {}
        for start in range(0, len(upcs), 5000):
            products = Product.objects.filter(upc__in=upcs[start : start + 5000]).select_related("parent")
            self.by_upc.update({product.upc: product for product in products})
        resource._loader = self

    def get_instance(self, row):
        return self.by_upc.get(text(row.get("upc")))


class ParentWidget(widgets.ForeignKeyWidget):
    """A variant's parent by UPC, from the products the file loaded or created (no query per row)."""

    def __init__(self, resource) -> None:
        super().__init__(Product, field="upc")
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        upc = text(value)
        if not upc:
            return None
        product = self.resource.product_known(upc)
        if product is None:
            raise Product.DoesNotExist("Product matching query does not exist.")
        return product


class ProductResource(HypexResource):
    upc = fields.Field(attribute="upc", column_name="upc")
    parent_upc = fields.Field(
        attribute="parent", column_name="parent_upc", widget=widgets.ForeignKeyWidget(Product, field="upc")
    )
    structure = fields.Field(attribute="structure", column_name="structure", readonly=True)
    product_class = fields.Field(column_name="product_class", readonly=True)
    title = fields.Field(attribute="title", column_name="title")
    description = fields.Field(attribute="description", column_name="description")
    is_public = fields.Field(
        attribute="is_public", column_name="is_public", widget=widgets.BooleanWidget(coerce_to_string=False)
    )
    categories = fields.Field(column_name="categories", readonly=True)
    partner = fields.Field(column_name="partner", readonly=True)
    partner_sku = fields.Field(column_name="partner_sku", readonly=True)
    price = fields.Field(column_name="price", readonly=True)
    currency = fields.Field(column_name="currency", readonly=True)
    num_in_stock = fields.Field(column_name="num_in_stock", readonly=True)

    class Meta(HypexResource.Meta):
        model = Product
        fields = ("upc", "parent_upc", "structure", "product_class", "title", "description", "is_public",
                  "categories", "partner", "partner_sku", "price", "currency", "num_in_stock")  # fmt: skip
        export_order = fields
        import_id_fields = ["upc"]
        instance_loader_class = ProductLoader
        use_bulk = True  # no savepoint per row: rows are checked in memory and written per batch

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._classes: dict[str, object] | None = None
        self._attributes: dict[int, dict[str, object]] = {}
        self._options: dict[int, dict[str, object]] = {}
        self._categories: dict[str, object] = {}
        self._partners: dict[str, object] | None = None
        self._attribute_codes: list[str] = []
        self._loader: ProductLoader | None = None
        self._new_by_upc: dict[str, object] = {}  # products the file creates, by UPC
        self._sku_owners: dict[tuple[int, str], str] = {}  # (partner id, SKU) -> the UPC that has it
        self._batch = ProductBatch(category=self._category, save_existing=self._save_existing)
        self._rejected = False
        self.fields["parent_upc"].widget = ParentWidget(self)

    # -- export ---------------------------------------------------------------------------------------

    def get_queryset(self):
        return (
            Product.objects.select_related("parent", "product_class")
            .prefetch_related(
                "categories",
                "stockrecords__partner",
                "attribute_values__attribute",
                "attribute_values__value_option",
                "attribute_values__value_multi_option",
            )
            .order_by(Coalesce("parent_id", "id"), "id")
        )

    def export(self, queryset=None, **kwargs):
        self._paths = category_paths()
        self._attribute_codes = sorted(set(ProductAttribute.objects.values_list("code", flat=True)))
        return super().export(queryset, **kwargs)

    def get_export_headers(self, selected_fields=None):
        return [*super().get_export_headers(selected_fields), *(ATTR_PREFIX + c for c in self._attribute_codes)]

    def export_resource(self, instance, selected_fields=None, **kwargs):
        values = {value.attribute.code: value.value for value in instance.attribute_values.all()}
        row = super().export_resource(instance, selected_fields, **kwargs)
        return [*row, *(attribute_value_text(values.get(code)) for code in self._attribute_codes)]

    def _stockrecord(self, product):
        records = list(product.stockrecords.all())
        return records[0] if records else None

    def dehydrate_product_class(self, product) -> str:
        return product.product_class.name if product.product_class_id else ""

    def dehydrate_categories(self, product) -> str:
        return f"{LIST_SEPARATOR} ".join(sorted(self._paths.get(c.pk, "") for c in product.categories.all()))

    def dehydrate_partner(self, product) -> str:
        record = self._stockrecord(product)
        return record.partner.code if record else ""

    def dehydrate_partner_sku(self, product) -> str:
        record = self._stockrecord(product)
        return record.partner_sku if record else ""

    def dehydrate_price(self, product) -> str:
        record = self._stockrecord(product)
        return str(record.price) if record and record.price is not None else ""

    def dehydrate_currency(self, product) -> str:
        record = self._stockrecord(product)
        return record.price_currency if record else ""

    def dehydrate_num_in_stock(self, product):
        record = self._stockrecord(product)
        return record.num_in_stock if record and record.num_in_stock is not None else ""

    # -- import lookups (cached for one run) -----------------------------------------------------------

    def _product_class(self, name: str):
        if self._classes is None:
            self._classes = {}
            for product_class in ProductClass.objects.all():
                self._classes[product_class.name.lower()] = product_class
                self._classes[product_class.slug.lower()] = product_class
                self._classes[product_class.pk] = product_class
        return self._classes.get(name.lower() if isinstance(name, str) else name)

    def _class_of(self, instance):
        """The class whose attributes a product has (a variant's parent's), from the loaded classes."""
        owner = instance.parent if instance.structure == Product.CHILD else instance
        if owner is None or not owner.product_class_id:
            return None
        if not Product.product_class.is_cached(owner):
            owner.product_class = self._product_class(owner.product_class_id)
        return owner.product_class

    def _class_attributes(self, product_class) -> dict[str, object]:
        if product_class.pk not in self._attributes:
            attributes = ProductAttribute.objects.filter(product_class=product_class).select_related("option_group")
            self._attributes[product_class.pk] = {a.code: a for a in attributes.order_by("pk")}
            for attribute in self._attributes[product_class.pk].values():
                if attribute.option_group_id:
                    option_checks_preload(attribute)
        return self._attributes[product_class.pk]

    def _attribute(self, product_class, code: str):
        return self._class_attributes(product_class).get(code)

    def product_known(self, upc: str):
        """A product by UPC: one the file created in an earlier row, or one that existed before."""
        found = self._new_by_upc.get(upc)
        if found is None and self._loader is not None:
            found = self._loader.by_upc.get(upc)
        return found

    def _option(self, attribute, value: str):
        if attribute.pk not in self._options:
            group = attribute.option_group
            self._options[attribute.pk] = {o.option.lower(): o for o in group.options.all()} if group else {}
        option = self._options[attribute.pk].get(value.lower())
        if option is None:
            raise ValidationError(f"{value!r} is not an option of {attribute.name}.")
        return option

    def _partner(self, code: str):
        if self._partners is None:
            self._partners = {p.code: p for p in Partner.objects.all()}
        if code:
            return self._partners.get(code)
        return next(iter(self._partners.values())) if len(self._partners) == 1 else None

    def _category(self, path: str):
        parts = path_parts(path)
        key = SEPARATOR.join(parts)
        if key not in self._categories:
            self._categories[key] = create_from_breadcrumbs(key)
        return self._categories[key]

    def attribute_value_parse(self, attribute, raw):
        """A cell as the Python value Oscar stores for this attribute; None clears it."""
        value = text(raw)
        if value == "":
            return None
        kind = attribute.type
        if kind in {attribute.TEXT, attribute.RICHTEXT}:
            return value
        if kind == attribute.INTEGER:
            number = decimal_parse(value)
            if number != number.to_integral_value():
                raise ValidationError("Enter a whole number.")
            return int(number)
        if kind == attribute.FLOAT:
            return float(decimal_parse(value))
        if kind == attribute.BOOLEAN:
            if value.lower() in _TRUE | _FALSE:
                return value.lower() in _TRUE
            raise ValidationError("Enter true or false.")
        if kind == attribute.DATE:
            return date.fromisoformat(value[:10])
        if kind == attribute.DATETIME:
            moment = datetime.fromisoformat(value)
            return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)
        if kind == attribute.OPTION:
            return self._option(attribute, value)
        if kind == attribute.MULTI_OPTION:
            return [self._option(attribute, part.strip()) for part in value.split(LIST_SEPARATOR) if part.strip()]
        raise ValidationError(f"{attribute.get_type_display()} attributes cannot be imported from a file.")

    # -- import ---------------------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs) -> None:
        super().before_import(dataset, **kwargs)
        self._new_by_upc, self._sku_owners, self._rejected = {}, {}, False
        self._batch.discard()
        skus = sorted({text(v) for v in dataset["partner_sku"]} - {""}) if "partner_sku" in dataset.headers else []
        for start in range(0, len(skus), 5000):
            records = StockRecord.objects.filter(partner_sku__in=skus[start : start + 5000])
            for partner_id, sku, upc in records.values_list("partner_id", "partner_sku", "product__upc"):
                self._sku_owners[(partner_id, sku)] = upc

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.import_type in (row_result.IMPORT_TYPE_INVALID, row_result.IMPORT_TYPE_ERROR):
            self._rejected = True  # nothing will be kept: stop writing, go on checking the other rows
            self._batch.discard()
        return row_result

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        """Oscar's `full_clean()` without its per-row queries: the parent and class were found in the
        file's lookups, and a UPC is unique when no product has it and no earlier row created it."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors, "parent", "product_class"], validate_unique=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if instance.pk is None and "upc" not in errors and instance.upc in self._new_by_upc:
            errors["upc"] = [instance.unique_error_message(Product, ("upc",))]
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        if is_create:
            self._new_by_upc[instance.upc] = instance
        stock = instance._hx_stock
        if stock and stock["partner"] is not None:
            self._sku_owners[(stock["partner"].pk, stock["partner_sku"])] = instance.upc
        if self._rejected:
            return
        self._batch.add(instance)
        if len(self._batch) >= BATCH_SIZE:
            self._batch.write()

    def after_import(self, dataset, result, **kwargs) -> None:
        if not self._rejected:
            self._batch.write()
        super().after_import(dataset, result, **kwargs)

    def import_instance(self, instance, row, **kwargs) -> None:
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not text(row.get("upc")):
            errors["upc"] = ValidationError("A UPC is required: it is how rows find their product.")

        structure = text(row.get("structure")).lower()
        if structure and structure not in STRUCTURES:
            errors["structure"] = ValidationError("Use standalone, parent or child.")
        elif structure:
            instance.structure = structure
        elif instance.pk is None:
            instance.structure = Product.CHILD if instance.parent is not None else Product.STANDALONE

        class_name = text(row.get("product_class"))
        if instance.structure == Product.CHILD:
            instance.product_class = None
        elif class_name:
            product_class = self._product_class(class_name)
            if product_class is None:
                errors["product_class"] = ValidationError(f"No product class named {class_name}.")
            else:
                instance.product_class = product_class
        elif not instance.product_class_id:
            errors["product_class"] = ValidationError("A product class is required.")

        if not instance.slug:
            source = (
                instance.title or (instance.parent.title if instance.parent is not None else "") or instance.upc or ""
            )
            instance.slug = slugify(source)[:255] or "product"

        product_class = self._class_of(instance)
        if instance.pk is None and product_class is not None:
            attributes_preload(instance, list(self._class_attributes(product_class).values()))
        self._import_attributes(instance, row, errors)
        self._import_categories(instance, row, errors)
        self._import_stock(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def _import_attributes(self, instance, row, errors: dict) -> None:
        product_class = self._class_of(instance)
        for column, raw in row.items():
            if not column.startswith(ATTR_PREFIX):
                continue
            code = column[len(ATTR_PREFIX) :].strip()
            attribute = self._attribute(product_class, code) if product_class else None
            if attribute is None:
                if text(raw):
                    errors[column] = ValidationError(f"Products of this class have no attribute {code!r}.")
                continue
            try:
                instance.attr.set(code, self.attribute_value_parse(attribute, raw))
            except (ValidationError, ValueError, ArithmeticError) as exc:
                message = exc.messages[0] if isinstance(exc, ValidationError) else f"Invalid value {text(raw)!r}."
                errors[column] = ValidationError(message)

    def _import_categories(self, instance, row, errors: dict) -> None:
        instance._hx_categories = None
        if "categories" not in row:
            return
        paths = [p for p in (part.strip() for part in text(row["categories"]).split(LIST_SEPARATOR)) if p]
        if paths and instance.structure == Product.CHILD:
            errors["categories"] = ValidationError("Variants take their parent's categories: leave this empty.")
        elif any(not path_parts(p) or any(len(n) > 255 for n in path_parts(p)) for p in paths):
            errors["categories"] = ValidationError('Write categories as paths: "Clothing > Shirts".')
        else:
            instance._hx_categories = paths

    def _import_stock(self, instance, row, errors: dict) -> None:
        instance._hx_stock = None
        sku = text(row.get("partner_sku"))
        if not sku:
            if any(text(row.get(c)) for c in ("price", "num_in_stock")):
                errors["partner_sku"] = ValidationError("A price or stock level needs a partner SKU.")
            return
        if instance.structure == Product.PARENT:
            errors["partner_sku"] = ValidationError("A parent product has no stock: give its variants SKUs.")
            return
        partner_code = text(row.get("partner"))
        partner = self._partner(partner_code)
        if partner is None:
            errors["partner"] = ValidationError(
                f"No partner with code {partner_code}." if partner_code else "Name the partner (its code)."
            )
        stock: dict = {"partner": partner, "partner_sku": sku}
        price = text(row.get("price"))
        try:
            stock["price"] = money_round(decimal_parse(price)) if price else None
            if stock["price"] is not None and (stock["price"] < 0 or stock["price"] >= Decimal("1e10")):
                raise ValueError(price)
        except (ValueError, InvalidOperation):
            errors["price"] = ValidationError("Enter a price such as 19.99.")
        currency = text(row.get("currency")).upper() or settings.OSCAR_DEFAULT_CURRENCY
        if len(currency) != 3:
            errors["currency"] = ValidationError("A currency is a three-letter code such as GBP.")
        stock["price_currency"] = currency
        level = text(row.get("num_in_stock"))
        try:
            stock["num_in_stock"] = int(decimal_parse(level)) if level else None
            if stock["num_in_stock"] is not None and stock["num_in_stock"] < 0:
                raise ValueError(level)
        except (ValueError, InvalidOperation):
            errors["num_in_stock"] = ValidationError("Enter a whole number of 0 or more.")
        if partner is not None:
            other = self._sku_owners.get((partner.pk, sku))
            if other is not None and other != text(row.get("upc")):
                errors["partner_sku"] = ValidationError(f"SKU {sku} already belongs to product {other}.")
        instance._hx_stock = stock

    def _save_existing(self, instance) -> None:
        """An updated product, one by one as before the batches (Oscar's save, model signals)."""
        instance.save()
        if instance._hx_categories is not None:
            wanted = {self._category(path).pk for path in instance._hx_categories}
            current = set(ProductCategory.objects.filter(product=instance).values_list("category_id", flat=True))
            ProductCategory.objects.filter(product=instance, category_id__in=current - wanted).delete()
            ProductCategory.objects.bulk_create(
                [ProductCategory(product=instance, category_id=pk) for pk in wanted - current]
            )
        stock = instance._hx_stock
        if stock:
            StockRecord.objects.update_or_create(
                partner=stock["partner"],
                partner_sku=stock["partner_sku"],
                defaults={
                    "product": instance,
                    "price": stock["price"],
                    "price_currency": stock["price_currency"],
                    **({"num_in_stock": stock["num_in_stock"]} if stock["num_in_stock"] is not None else {}),
                },
            )
