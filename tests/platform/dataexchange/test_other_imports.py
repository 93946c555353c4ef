"""Categories, stock levels, prices and vouchers, from CSV, XLSX and JSON."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from dataexchange.models import ImportJob

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Voucher = get_model("voucher", "Voucher")
ConditionalOffer = get_model("offer", "ConditionalOffer")
FORMATS = ["csv", "xlsx", "json"]


@pytest.fixture
def stocked(shop):
    """Two books with stock records MUG-1 and BOOK-1 at the shop's partner."""
    records = []
    for upc in ("MUG-1", "BOOK-1"):
        product = Product.objects.create(upc=upc, title=upc.title(), product_class=shop["classes"]["Book"])
        records.append(
            StockRecord.objects.create(
                product=product, partner=shop["partner"], partner_sku=upc, price=Decimal("10.00"), num_in_stock=5
            )
        )
    return records


@pytest.mark.parametrize("format_key", FORMATS)
def test_categories_import_creates_paths_and_updates_existing_ones(db, dry_run, confirm, format_key):
    from oscar.apps.catalogue.categories import create_from_breadcrumbs

    create_from_breadcrumbs("Clothing > Shirts")
    rows = [
        {"path": "Clothing > Shirts", "description": "Shirts for all seasons", "is_public": "1"},
        {"path": "Home > Kitchen > Mugs", "description": "", "is_public": "0"},
    ]

    job = dry_run("categories", rows, format_key)
    assert (job.status, job.rows_new, job.rows_update) == (ImportJob.Status.READY, 1, 1), job.errors
    assert not Category.objects.filter(name="Mugs").exists()
    confirm(job)

    assert Category.objects.get(name="Shirts").description == "Shirts for all seasons"
    mugs = Category.objects.get(name="Mugs")
    assert mugs.full_name == "Home > Kitchen > Mugs" and mugs.is_public is False
    assert Category.objects.get(name="Kitchen").is_public is True


@pytest.mark.parametrize("format_key", FORMATS)
def test_stock_levels_import_updates_records_by_sku(stocked, dry_run, confirm, format_key):
    rows = [
        {"partner": "hypex-warehouse", "partner_sku": "MUG-1", "num_in_stock": 0, "low_stock_threshold": 2},
        {"partner": "", "partner_sku": "BOOK-1", "num_in_stock": 31, "low_stock_threshold": ""},
    ]
    job = dry_run("stock", rows, format_key)
    assert (job.status, job.rows_update) == (ImportJob.Status.READY, 2), job.errors
    confirm(job)

    mug, book = (StockRecord.objects.get(partner_sku=sku) for sku in ("MUG-1", "BOOK-1"))
    assert (mug.num_in_stock, mug.low_stock_threshold) == (0, 2)
    assert (book.num_in_stock, book.low_stock_threshold) == (31, None)


def test_stock_rows_for_unknown_skus_or_negative_levels_are_rejected(stocked, dry_run):
    rows = [
        {"partner_sku": "MUG-1", "num_in_stock": "-1"},
        {"partner_sku": "NOPE", "num_in_stock": "3"},
        {"partner_sku": "BOOK-1", "num_in_stock": "many"},
        {"partner_sku": "BOOK-1", "num_in_stock": "4"},
    ]
    job = dry_run("stock", rows)
    assert (job.status, job.rows_update, job.rows_rejected) == (ImportJob.Status.INVALID, 1, 3)
    fields = {error["row"]: error["fields"] for error in job.errors}
    assert "num_in_stock" in fields[1]
    assert fields[2] == {"partner_sku": ["No stock record with SKU NOPE."]}
    assert "num_in_stock" in fields[3], job.errors
    assert StockRecord.objects.get(partner_sku="BOOK-1").num_in_stock == 5


@pytest.mark.parametrize("format_key", FORMATS)
def test_prices_import_updates_price_and_currency(stocked, dry_run, confirm, format_key):
    rows = [{"partner_sku": "MUG-1", "price": "12.95", "currency": "gbp"},
            {"partner_sku": "BOOK-1", "price": "8", "currency": "EUR"}]  # fmt: skip
    job = dry_run("prices", rows, format_key)
    assert job.status == ImportJob.Status.READY, job.errors
    confirm(job)

    assert StockRecord.objects.get(partner_sku="MUG-1").price == Decimal("12.95")
    book = StockRecord.objects.get(partner_sku="BOOK-1")
    assert (book.price, book.price_currency) == (Decimal("8.00"), "EUR")


def test_prices_that_are_negative_or_not_numbers_are_rejected(stocked, dry_run):
    rows = [{"partner_sku": "MUG-1", "price": "-1", "currency": "GBP"},
            {"partner_sku": "BOOK-1", "price": "free", "currency": "GBP"}]  # fmt: skip
    job = dry_run("prices", rows)
    fields = {error["row"]: error["fields"] for error in job.errors}
    assert fields[1] == {"price": ["A price cannot be negative."]}
    assert "price" in fields[2]


@pytest.mark.parametrize("format_key", FORMATS)
def test_vouchers_import_with_offers_and_utc_dates(db, dry_run, confirm, format_key):
    from demodata.builders import voucher_build

    voucher_build()  # WELCOME10 and its voucher offer "Welcome 10% off"
    rows = [
        {"code": "spring5", "name": "Spring", "usage": "Single use", "start_datetime": "2027-03-01T00:00:00",
         "end_datetime": "2027-03-31T23:59:59+00:00", "offers": "Welcome 10% off"},
        {"code": "WELCOME10", "name": "Welcome, renamed", "usage": "", "start_datetime": "2026-01-01T00:00:00Z",
         "end_datetime": "2028-01-01T00:00:00Z", "offers": "Welcome 10% off"},
    ]  # fmt: skip
    job = dry_run("vouchers", rows, format_key)
    assert (job.status, job.rows_new, job.rows_update) == (ImportJob.Status.READY, 1, 1), job.errors
    confirm(job)

    spring = Voucher.objects.get(code="SPRING5")
    assert spring.usage == Voucher.SINGLE_USE
    assert spring.start_datetime == datetime(2027, 3, 1, tzinfo=UTC)
    assert list(spring.offers.values_list("name", flat=True)) == ["Welcome 10% off"]
    assert Voucher.objects.get(code="WELCOME10").name == "Welcome, renamed"


def test_vouchers_with_unknown_offers_or_bad_dates_are_rejected(db, dry_run):
    rows = [
        {"code": "A", "name": "A", "usage": "Single use", "start_datetime": "soon", "end_datetime": "2027-01-01",
         "offers": ""},
        {"code": "B", "name": "B", "usage": "Single use", "start_datetime": "2027-01-01",
         "end_datetime": "2027-02-01", "offers": "No such offer"},
        {"code": "C", "name": "C", "usage": "Sometimes", "start_datetime": "2027-01-01",
         "end_datetime": "2027-02-01", "offers": ""},
    ]  # fmt: skip
    job = dry_run("vouchers", rows)
    fields = {error["row"]: error["fields"] for error in job.errors}
    assert "start_datetime" in fields[1]
    assert fields[2] == {"offers": ["No offer named No such offer."]}
    assert "usage" in fields[3]
    assert not Voucher.objects.exists()
