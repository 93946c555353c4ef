"""Exports in CSV, XLSX and JSON: formulas escaped, orders listed, and a file imports back unchanged."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model
from oscar.test.factories import create_basket, create_order, create_product

from dataexchange import services
from dataexchange.models import ImportJob

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Voucher = get_model("voucher", "Voucher")
DANGEROUS = ['=HYPERLINK("http://evil","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def rows_of(content: bytes, format_key: str) -> list[dict]:
    if format_key == "csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))
    if format_key == "json":
        return json.loads(content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


@pytest.mark.parametrize("format_key", ["csv", "xlsx", "json"])
def test_exported_cells_that_start_like_formulas_are_escaped(shop, format_key):
    for n, title in enumerate(DANGEROUS):
        Product.objects.create(upc=f"X{n}", title=title, description="-", product_class=shop["classes"]["Book"])

    content, content_type, filename = services.export_render(resource="products", format=format_key)

    titles = {row["upc"]: row["title"] for row in rows_of(content, format_key)}
    expected = {f"X{n}": "'" + title for n, title in enumerate(DANGEROUS)}
    if format_key == "xlsx":  # XML turns a stored carriage return into a line feed when read back
        expected["X5"] = "'\nCR"
    assert titles == expected
    assert filename.startswith("products-") and filename.endswith(f".{format_key}")
    assert content_type in {"text/csv", "application/json",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


def test_numbers_are_not_escaped(shop):
    product = Product.objects.create(upc="N1", title="Plain", product_class=shop["classes"]["Book"])
    StockRecord.objects.create(product=product, partner=shop["partner"], partner_sku="-5", price=Decimal("3.50"))
    content, _, _ = services.export_render(resource="prices", format="csv")
    row = rows_of(content, "csv")[0]
    assert (row["partner_sku"], row["price"]) == ("-5", "3.50")


def test_an_exported_product_file_imports_back_unchanged(shop, dry_run, confirm, django_capture_on_commit_callbacks):
    from tests.platform.dataexchange.test_products_import import product_rows

    confirm(dry_run("products", product_rows()))
    Product.objects.filter(upc="BOOK-1").update(title="=1+1")
    before, _, _ = services.export_render(resource="products", format="csv")

    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(resource="products", format="csv", file=SimpleUploadedFile("p.csv", before))
    job.refresh_from_db()
    assert (job.status, job.rows_update, job.rows_new) == (ImportJob.Status.READY, 5, 0), job.errors
    confirm(job)

    assert Product.objects.get(upc="BOOK-1").title == "=1+1"  # the apostrophe was only for spreadsheets
    after, _, _ = services.export_render(resource="products", format="csv")
    assert rows_of(after, "csv") == rows_of(before, "csv")
    header = rows_of(before, "csv")[0]
    assert {"attr:colour", "attr:size", "attr:pages", "categories", "partner_sku"} <= set(header)


@pytest.mark.parametrize("format_key", ["csv", "xlsx", "json"])
def test_orders_export_lists_each_order_with_totals_and_lines(db, format_key):
    basket = create_basket(empty=True)
    basket.add_product(create_product(price=Decimal("12.00"), partner_sku="SKU-9"))
    order = create_order(number="100042", basket=basket)
    order.guest_email = "=evil@example.com"
    order.save()

    content, _, _ = services.export_render(resource="orders", format=format_key)

    rows = rows_of(content, format_key)
    assert len(rows) == 1
    row = rows[0]
    assert str(row["number"]) == "100042"
    assert str(row["total_incl_tax"]) == str(order.total_incl_tax)
    assert row["lines"] == "SKU-9 x 1"
    assert row["currency"] == order.currency
    assert row["email"] == "'=evil@example.com"


def test_categories_vouchers_and_stock_export(shop):
    from demodata.builders import categories_build, voucher_build

    categories_build()
    voucher_build()
    paths = [row["path"] for row in rows_of(services.export_render(resource="categories", format="csv")[0], "csv")]
    assert "Clothing > Shirts" in paths or any(" > " in path for path in paths)
    vouchers = rows_of(services.export_render(resource="vouchers", format="json")[0], "json")
    assert vouchers[0]["code"] == "WELCOME10" and vouchers[0]["offers"] == "Welcome 10% off"
    assert vouchers[0]["start_datetime"].endswith("+00:00")
