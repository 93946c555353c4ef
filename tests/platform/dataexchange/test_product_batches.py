"""Product imports are checked in memory and written in batches (ADR 0056): still all or nothing, row
errors with their line, variants whose parent is in another batch, audit entries, and queries that do
not grow with the number of rows."""

import json
import re
from decimal import Decimal

import pytest
from auditlog.diff import model_instance_diff
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from audittrail.models import AuditLogEntry, Source
from dataexchange.models import ImportJob
from dataexchange.resources import products as product_resource

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")


def family_rows(count: int, prefix: str = "T") -> list[dict]:
    """Parents with four sized variants each (colour and size options, SKU, price, stock), `count` rows."""
    rows, n = [], 0
    blank = {"upc": "", "title": "", "parent_upc": "", "structure": "", "product_class": "", "categories": "",
             "partner_sku": "", "price": "", "num_in_stock": "", "attr:colour": "", "attr:size": ""}  # fmt: skip
    while len(rows) < count:
        n += 1
        rows.append({**blank, "upc": f"{prefix}{n}", "structure": "parent", "product_class": "Clothing",
                     "title": f"Tee {n}", "categories": "Clothing > Tees"})  # fmt: skip
        for size in ("S", "M", "L", "XL"):
            rows.append({**blank, "upc": f"{prefix}{n}-{size}", "parent_upc": f"{prefix}{n}",
                         "title": f"Tee {n} {size}", "partner_sku": f"{prefix}{n}-{size}", "price": "25.00",
                         "num_in_stock": "3", "attr:colour": "Red", "attr:size": size})  # fmt: skip
    return rows[:count]


def test_a_bad_row_among_a_thousand_saves_nothing_and_is_reported_with_its_line(shop, dry_run):
    rows = family_rows(1000)
    rows[776]["price"] = "cheap"  # line 777 of the data

    job = dry_run("products", rows)

    assert (job.status, job.rows_rejected, job.rows_new) == (ImportJob.Status.INVALID, 1, 999)
    assert job.errors[0]["row"] == 777
    assert job.errors[0]["fields"]["price"] == ["Enter a price such as 19.99."]
    assert job.errors[0]["values"]["upc"] == rows[776]["upc"]
    assert not Product.objects.exists() and not StockRecord.objects.exists()


def test_a_row_that_fails_only_at_import_rolls_back_every_batch_written_before_it(shop, dry_run, confirm, monkeypatch):
    monkeypatch.setattr(product_resource, "BATCH_SIZE", 50)
    rows = family_rows(300)
    job = dry_run("products", rows)
    assert job.status == ImportJob.Status.READY, job.errors[:2]
    other = Product.objects.create(upc="OTHER", title="Other", product_class=shop["classes"]["Book"])
    StockRecord.objects.create(product=other, partner=shop["partner"], partner_sku=rows[-1]["partner_sku"])

    job = confirm(job)

    assert (job.status, job.rows_rejected) == (ImportJob.Status.FAILED, 1)
    assert job.errors[0]["row"] == 300
    assert list(Product.objects.values_list("upc", flat=True)) == ["OTHER"]
    assert StockRecord.objects.count() == 1


def test_variants_find_parents_written_in_an_earlier_batch(shop, dry_run, confirm, monkeypatch):
    monkeypatch.setattr(product_resource, "BATCH_SIZE", 3)  # a parent and two variants, then the rest
    rows = family_rows(10)

    job = confirm(dry_run("products", rows))

    assert (job.status, job.rows_new) == (ImportJob.Status.DONE, 10)
    for upc in ("T1-L", "T1-XL", "T2-S"):
        variant = Product.objects.get(upc=upc)
        assert variant.is_child and variant.parent.upc == upc.split("-")[0]
        assert variant.attr.size.option == upc.split("-")[1] and variant.attr.colour.option == "Red"
        record = variant.stockrecords.get()
        assert (record.partner_sku, record.price, record.num_in_stock) == (upc, Decimal("25.00"), 3)
    assert [c.full_name for c in Product.objects.get(upc="T2").categories.all()] == ["Clothing > Tees"]
    assert ProductAttributeValue.objects.count() == 8 * 2


def test_a_upc_or_sku_twice_in_one_file_is_a_row_error(shop, dry_run):
    rows = family_rows(5)
    rows.append({**rows[1]})  # T1-S again: same UPC, same SKU
    rows.append({**rows[2], "upc": "T1-M2"})  # a new product with T1-M's SKU

    job = dry_run("products", rows)

    by_row = {error["row"]: error for error in job.errors}
    assert set(by_row) == {6, 7}
    assert "upc" in by_row[6]["fields"]
    assert by_row[7]["fields"]["partner_sku"] == ["SKU T1-M already belongs to product T1-M."]


def test_created_products_stock_and_values_are_in_the_audit_trail_as_the_import_group(shop, dry_run, confirm):
    job = confirm(dry_run("products", family_rows(10)))

    group = AuditLogEntry.objects.filter(cid=f"import:{job.pk}", action=AuditLogEntry.Action.CREATE)
    by_model = {
        model: group.filter(content_type=ContentType.objects.get_for_model(model)).count()
        for model in (Product, StockRecord, ProductAttributeValue)
    }
    assert by_model == {Product: 10, StockRecord: 8, ProductAttributeValue: 16}
    entry = group.get(object_id=Product.objects.get(upc="T1-S").pk, content_type__model="product")
    assert entry.changes["upc"] == ["None", "T1-S"] and entry.object_repr == "Tee 1 S"


def _normalised(changes: dict) -> dict:  # a generic relation's manager is written with its address
    return json.loads(re.sub(r" at 0x[0-9a-f]+", "", json.dumps(changes)))


def test_each_created_row_has_the_entry_auditlog_writes_when_the_row_is_saved(shop, dry_run, confirm):
    job = confirm(dry_run("products", family_rows(10)))

    models = (Product, ProductAttributeValue, get_model("catalogue", "ProductCategory"), StockRecord)
    entries = AuditLogEntry.objects.filter(
        cid=f"import:{job.pk}",
        action=AuditLogEntry.Action.CREATE,
        content_type__in=ContentType.objects.get_for_models(*models).values(),
    )
    assert entries.count() == 10 + 16 + 2 + 8  # products, attribute values, category links, stock records
    for entry in entries.select_related("content_type"):
        row = entry.content_type.model_class().objects.get(pk=entry.object_id)
        for relation in [r for r in row._meta.related_objects if r.one_to_one]:
            relation.set_cached_value(row, None)  # as created: its stock level comes after commit
        expected = {name: list(values) for name, values in model_instance_diff(None, row).items()}
        assert _normalised(entry.changes) == _normalised(expected), entry.object_repr
        assert entry.object_repr == str(row)
        assert (entry.source, entry.actor) == (Source.IMPORT, job.confirmed_by)


def _import_queries(count: int, dry_run, confirm, prefix: str) -> int:
    job = dry_run("products", family_rows(count, prefix))
    with CaptureQueriesContext(connection) as queries:
        job = confirm(job)
    assert (job.status, job.rows_new) == (ImportJob.Status.DONE, count)
    return len(queries)


@pytest.mark.parametrize("small,big", [(10, 200)])
def test_an_import_costs_the_same_queries_for_10_or_200_rows(shop, dry_run, confirm, small, big):
    _import_queries(5, dry_run, confirm, "W")  # warm the one-time lookups (content types, categories)
    few = _import_queries(small, dry_run, confirm, "A")
    many = _import_queries(big, dry_run, confirm, "B")
    # Flat in rows: a query per row would add 190. What grows is SQLite splitting a bulk INSERT of wide
    # rows (at most 999 parameters each: about one audit-entry INSERT per 20 rows); PostgreSQL does not.
    assert many - few <= 20, (few, many)
