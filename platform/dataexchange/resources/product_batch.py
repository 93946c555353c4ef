"""Writing a product import in batches (ADR 0056).

`ProductResource` checks every row in memory (lookups loaded once per file) and hands the rows that
passed to a `ProductBatch`; every `BATCH_SIZE` rows, and at the end of the file, the batch is written:
new products, their attribute values, category links and stock records with one `bulk_create` each
(parents and standalone products first, then variants, which need their parent's id). Rows that update
an existing product are saved one by one as before (Oscar's `save()`, model signals).

`bulk_create` sends no model signal, so the batch does what the signals would have done: the audit trail
entries (`audittrail.services.audit_creates_record`), the search index (noted for the bulk pass after
commit), the `product.updated` webhooks and the stock-level baseline (`stock_transitions_after_commit`).
The catalogue cache is invalidated by the import service after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from oscar.apps.catalogue.product_attributes import QuerysetCache
from oscar.core.loading import get_model

from audittrail.services import audit_creates_record
from catalogue.catalogue.product_events import product_updated_collect
from catalogue.partner.stock_transitions import stock_transitions_after_commit

from ..search_index import indexing_note

Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

BATCH_SIZE = 500


def attributes_preload(product, attributes: list) -> None:
    """Give a new (unsaved) product its class's attributes and no values, so that Oscar's attribute
    container validates and prepares it without a query."""
    cache = product.attr.cache
    cache.set_attributes(QuerysetCache(list(attributes)))
    cache.__dict__["attribute_values"] = QuerysetCache([])


def option_checks_preload(attribute) -> None:
    """Oscar checks an option value against its group with one query per value: read the group's
    options once and check against that list (the same check, on this attribute object only)."""
    valid = list(attribute.option_group.options.values_list("option", flat=True))
    check_option, check_multi = attribute._validate_option, attribute._validate_multi_option

    def validate_option(value, valid_values=None):
        check_option(value, valid_values=valid)

    def validate_multi_option(value):
        if isinstance(value, list):
            for option in value:
                check_option(option, valid_values=valid)
        else:
            check_multi(value)

    attribute._validate_option = validate_option
    attribute._validate_multi_option = validate_multi_option


@dataclass
class ProductBatch:
    """The checked rows not yet written: (product, categories or None, stock dict or None)."""

    category: Callable[[str], object]  # a category path -> the Category (created when missing)
    save_existing: Callable[[object], None]  # writes one updated product with its categories and stock
    rows: list = field(default_factory=list)

    def add(self, product) -> None:
        self.rows.append(product)

    def __len__(self) -> int:
        return len(self.rows)

    def discard(self) -> None:
        self.rows.clear()

    def write(self) -> None:
        """Write the batch in a savepoint: a failure leaves the import's transaction usable (it is
        rolled back whole anyway), so the remaining rows are still checked and reported."""
        rows, self.rows = self.rows, []
        with transaction.atomic():
            new = [p for p in rows if p.pk is None]
            created = {id(p) for p in new}
            if new:
                self._create(new)
            for product in rows:
                if id(product) not in created:
                    self.save_existing(product)

    def _create(self, products: list) -> None:
        # parents and standalone products first: a variant's parent may be in the same batch
        Product.objects.bulk_create([p for p in products if not p.is_child])
        Product.objects.bulk_create([p for p in products if p.is_child])
        values = []
        for product in products:
            _updated, created, _deleted, _fields = product.attr.prepare_save()  # multi options saved here
            values += created
            product.attr.invalidate()
        ProductAttributeValue.objects.bulk_create(values, batch_size=BATCH_SIZE)
        links = [
            ProductCategory(product=p, category=self.category(path))
            for p in products
            for path in dict.fromkeys(p._hx_categories or [])
        ]
        links = list({(link.product.pk, link.category.pk): link for link in links}.values())
        ProductCategory.objects.bulk_create(links, batch_size=BATCH_SIZE)
        records = [_stockrecord(p) for p in products if p._hx_stock]
        StockRecord.objects.bulk_create(records, batch_size=BATCH_SIZE)

        for objects in (products, values, links, records):
            _reverse_one_to_one_absent(objects)
        audit_creates_record(objects=[*products, *values, *links, *records])
        indexing_note(Product, [p.pk for p in products])
        product_updated_collect(product_ids=[p.pk for p in products])
        stock_transitions_after_commit(stockrecord_ids=[r.pk for r in records])


def _reverse_one_to_one_absent(objects: list) -> None:
    """New rows have no reverse one-to-one rows yet (a stock record's `StockLevel`): say so, or the audit
    trail's diff asks the database once per row."""
    if not objects:
        return
    relations = [r for r in objects[0]._meta.related_objects if r.one_to_one]
    for obj in objects:
        for relation in relations:
            relation.set_cached_value(obj, None)


def _stockrecord(product):
    stock = product._hx_stock
    record = StockRecord(
        product=product,
        partner=stock["partner"],
        partner_sku=stock["partner_sku"],
        price=stock["price"],
        price_currency=stock["price_currency"],
    )
    if stock["num_in_stock"] is not None:
        record.num_in_stock = stock["num_in_stock"]
    return record
