"""Stock levels and prices: updates to existing stock records, found by partner code and partner SKU.

New stock records come with their product (the products resource); these two only change numbers, so
they load every record the file names in a few queries and save in batches (10,000 rows in seconds).
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from import_export import fields
from import_export.instance_loaders import BaseInstanceLoader
from oscar.core.loading import get_model

from audittrail.context import audit_enabled
from audittrail.services import audit_updates_record
from catalogue.partner.stock_transitions import stock_transitions_after_commit

from .base import HypexResource, MoneyWidget, WholeNumberWidget, text

StockRecord = get_model("partner", "StockRecord")

_LOOKUP_CHUNK = 5000


class StockRecordLoader(BaseInstanceLoader):
    """Every stock record named by the file, loaded up front; rows find theirs by (partner, SKU)."""

    def __init__(self, resource, dataset=None) -> None:
        super().__init__(resource, dataset)
        skus = sorted({text(value) for value in dataset["partner_sku"]}) if "partner_sku" in dataset.headers else []
        self.by_sku: dict[str, list] = defaultdict(list)
        for start in range(0, len(skus), _LOOKUP_CHUNK):
            chunk = skus[start : start + _LOOKUP_CHUNK]
            records = StockRecord.objects.filter(partner_sku__in=chunk).select_related("partner")
            for record in records:
                self.by_sku[record.partner_sku].append(record)

    def get_instance(self, row):
        sku, partner = text(row.get("partner_sku")), text(row.get("partner"))
        if not sku:
            raise ValidationError({"partner_sku": "A partner SKU is required."})
        matches = [r for r in self.by_sku.get(sku, []) if not partner or r.partner.code == partner]
        if not matches:
            where = f" for partner {partner}" if partner else ""
            raise ValidationError({"partner_sku": f"No stock record with SKU {sku}{where}."})
        if len(matches) > 1:
            raise ValidationError({"partner": f"SKU {sku} exists at several partners: fill in the partner column."})
        return matches[0]


class _StockRecordResource(HypexResource):
    partner = fields.Field(attribute="partner__code", column_name="partner", readonly=True)
    partner_sku = fields.Field(attribute="partner_sku", column_name="partner_sku", readonly=True)
    product_upc = fields.Field(attribute="product__upc", column_name="product_upc", readonly=True)
    product_title = fields.Field(column_name="product_title", readonly=True)
    editable: tuple[str, ...] = ()

    class Meta(HypexResource.Meta):
        model = StockRecord
        import_id_fields = ["partner_sku"]
        instance_loader_class = StockRecordLoader
        use_bulk = True
        batch_size = 1000

    def instance_repr(self, record) -> str:
        return f"{record.partner_sku} at {record.partner.code}"

    def dehydrate_product_title(self, record) -> str:
        return record.product.get_title()

    def get_queryset(self):
        return StockRecord.objects.select_related("partner", "product", "product__parent").order_by("partner_sku")

    def init_instance(self, row=None):  # never reached: the loader rejects unknown SKUs
        raise ValidationError({"partner_sku": "Unknown SKU."})

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        errors = dict(import_validation_errors or {})
        exclude = [f.name for f in StockRecord._meta.fields if f.name not in self.editable] + list(errors)
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs) -> None:
        instance.date_updated = timezone.now()  # bulk_update skips auto_now

    def get_bulk_update_fields(self) -> list[str]:
        return [*self.editable, "date_updated"]

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None) -> None:
        """One parameterised UPDATE per row, sent with executemany: Django's bulk_update builds a CASE
        expression per field and row, which costs 35 s for 10,000 rows where this takes well under 1 s."""
        if not self.update_instances:
            return
        names = self.get_bulk_update_fields()
        columns = [StockRecord._meta.get_field(name) for name in names]
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
        sql = f"UPDATE {quote(StockRecord._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
        params = [
            [column.get_db_prep_save(getattr(record, column.attname), connection) for column in columns] + [record.pk]
            for record in self.update_instances
        ]
        # the rows as stored, for the audit trail (one query per batch; none when auditing is off)
        before = (
            StockRecord.objects.only(*self.editable).in_bulk([r.pk for r in self.update_instances])
            if audit_enabled() and not dry_run
            else {}
        )
        try:
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
            if before:
                audit_updates_record(
                    objects=self.update_instances, before=before, fields=list(self.editable), label=self.instance_repr
                )
            # no model signals here: ask for the back-in-stock check at commit (ADR 46)
            stock_transitions_after_commit(stockrecord_ids=[record.pk for record in self.update_instances])
        except Exception as exc:  # noqa: BLE001 - reported as a file-level error; the transaction rolls back
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.update_instances.clear()


class StockLevelResource(_StockRecordResource):
    """Columns: partner, partner_sku, num_in_stock, low_stock_threshold (product_upc, product_title:
    export only)."""

    num_in_stock = fields.Field(attribute="num_in_stock", column_name="num_in_stock", widget=WholeNumberWidget())
    low_stock_threshold = fields.Field(
        attribute="low_stock_threshold",
        column_name="low_stock_threshold",
        widget=WholeNumberWidget(),
    )
    editable = ("num_in_stock", "low_stock_threshold")

    class Meta(_StockRecordResource.Meta):
        fields = ("partner", "partner_sku", "product_upc", "product_title", "num_in_stock", "low_stock_threshold")
        export_order = fields

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        errors = dict(import_validation_errors or {})
        if instance.num_in_stock is None and "num_in_stock" not in errors:
            errors["num_in_stock"] = ValidationError("A stock level is required.")
        super().validate_instance(instance, errors, validate_unique)


class PriceResource(_StockRecordResource):
    """Columns: partner, partner_sku, price, currency (product_upc, product_title: export only)."""

    price = fields.Field(attribute="price", column_name="price", widget=MoneyWidget())
    currency = fields.Field(attribute="price_currency", column_name="currency")
    editable = ("price", "price_currency")

    class Meta(_StockRecordResource.Meta):
        fields = ("partner", "partner_sku", "product_upc", "product_title", "price", "currency")
        export_order = fields

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        errors = dict(import_validation_errors or {})
        if instance.price is not None and instance.price < 0:
            errors["price"] = ValidationError("A price cannot be negative.")
        instance.price_currency = (instance.price_currency or "").strip().upper()
        if len(instance.price_currency) != 3 and "price_currency" not in errors:
            errors["price_currency"] = ValidationError("A currency is a three-letter code such as GBP.")
        super().validate_instance(instance, errors, validate_unique)
