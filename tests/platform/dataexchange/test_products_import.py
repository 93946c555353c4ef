"""Products with variants, stock, prices, categories and attributes, from CSV, XLSX and JSON."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from dataexchange.models import ImportJob

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")

COLUMNS = ["upc", "parent_upc", "product_class", "title", "description", "categories", "partner_sku", "price",
           "num_in_stock", "attr:colour", "attr:size", "attr:material", "attr:author", "attr:pages"]  # fmt: skip


def product_rows() -> list[dict]:
    rows = [
        {"upc": "TEE-1", "structure": "parent", "product_class": "Clothing", "title": "Linen Tee",
         "description": "<p>Soft.</p>", "categories": "Clothing > Shirts"},
        {"upc": "TEE-1-S", "parent_upc": "TEE-1", "title": "Linen Tee, size S", "partner_sku": "TEE-1-S",
         "price": "25.00", "num_in_stock": "7", "attr:colour": "Red", "attr:size": "S"},
        {"upc": "TEE-1-M", "parent_upc": "TEE-1", "title": "Linen Tee, size M", "partner_sku": "TEE-1-M",
         "price": "25.00", "num_in_stock": "0", "attr:colour": "Red", "attr:size": "M"},
        {"upc": "MUG-1", "product_class": "homeware", "title": "Stoneware Mug", "categories":
         "Home > Kitchen; Gifts", "partner_sku": "MUG-1", "price": "12.50", "num_in_stock": "40",
         "attr:colour": "Blue", "attr:material": "Stoneware"},
        {"upc": "BOOK-1", "product_class": "Book", "title": "Slow Things", "categories": "Books > Essays",
         "partner_sku": "BOOK-1", "price": "9.99", "num_in_stock": "3", "attr:author": "A. Writer",
         "attr:pages": "240"},
    ]  # fmt: skip
    headers = ["structure", *COLUMNS]
    return [{key: row.get(key, "") for key in headers} for row in rows]


@pytest.mark.parametrize("format_key", ["csv", "xlsx", "json"])
def test_products_with_variants_stock_categories_and_attributes_import(shop, dry_run, confirm, format_key):
    job = dry_run("products", product_rows(), format_key)
    assert job.status == ImportJob.Status.READY, job.errors
    assert (job.total_rows, job.rows_new, job.rows_update, job.rows_rejected) == (5, 5, 0, 0)
    assert not Product.objects.exists()  # the dry run wrote nothing

    job = confirm(job)

    assert job.status == ImportJob.Status.DONE
    parent = Product.objects.get(upc="TEE-1")
    assert parent.is_parent and parent.product_class.name == "Clothing"
    assert [c.full_name for c in parent.categories.all()] == ["Clothing > Shirts"]
    small = Product.objects.get(upc="TEE-1-S")
    assert small.parent == parent and small.is_child
    assert small.attr.size.option == "S" and small.attr.colour.option == "Red"
    record = StockRecord.objects.get(partner_sku="TEE-1-S")
    assert (record.product, record.price, record.price_currency, record.num_in_stock) == (
        small, Decimal("25.00"), "GBP", 7)  # fmt: skip
    mug = Product.objects.get(upc="MUG-1")
    assert sorted(c.full_name for c in mug.categories.all()) == ["Gifts", "Home > Kitchen"]
    assert mug.attr.material == "Stoneware" and mug.attr.colour.option == "Blue"
    book = Product.objects.get(upc="BOOK-1")
    assert book.attr.pages == 240 and book.attr.author == "A. Writer"
    assert Category.objects.filter(name="Essays", depth=2).exists()


def test_a_second_import_updates_products_by_upc(shop, dry_run, confirm):
    confirm(dry_run("products", product_rows()))
    rows = [{"upc": "MUG-1", "title": "Stoneware Mug, large", "partner_sku": "MUG-1", "price": "14.00",
             "num_in_stock": "12"}]  # fmt: skip

    job = dry_run("products", rows)
    assert (job.status, job.rows_new, job.rows_update) == (ImportJob.Status.READY, 0, 1)
    confirm(job)

    mug = Product.objects.get(upc="MUG-1")
    assert mug.title == "Stoneware Mug, large"
    assert mug.product_class.name == "Homeware"  # kept: the column was not in the file
    record = mug.stockrecords.get()
    assert (record.price, record.num_in_stock) == (Decimal("14.00"), 12)


def test_product_rows_with_errors_are_rejected_each_with_its_own_message(shop, dry_run):
    rows = product_rows()
    rows[1]["attr:size"] = "XXXL"  # not an option
    rows[3]["product_class"] = "Furniture"  # no such class
    rows[4]["price"] = "cheap"
    rows.append({**rows[4], "upc": "", "price": "1"})  # no UPC

    job = dry_run("products", rows)

    assert job.status == ImportJob.Status.INVALID
    assert (job.rows_new, job.rows_rejected) == (2, 4)
    by_row = {error["row"]: error for error in job.errors}
    assert set(by_row) == {2, 4, 5, 6}
    assert "not an option of Size" in by_row[2]["fields"]["attr:size"][0]
    assert by_row[4]["fields"]["product_class"] == ["No product class named Furniture."]
    assert by_row[5]["fields"]["price"] == ["Enter a price such as 19.99."]
    assert "upc" in by_row[6]["fields"]
    assert by_row[4]["values"]["upc"] == "MUG-1"
    assert not Product.objects.exists()
    assert not Category.objects.exists()


def test_a_variant_of_a_standalone_product_is_rejected(shop, dry_run):
    rows = [
        {"upc": "A", "parent_upc": "", "product_class": "Book", "title": "Alone"},
        {"upc": "A-1", "parent_upc": "A", "product_class": "", "title": "Child"},
        {"upc": "B-1", "parent_upc": "NOPE", "product_class": "", "title": "Orphan"},
    ]
    job = dry_run("products", rows)
    errors = {e["row"]: " ".join(e["messages"] + sum(e["fields"].values(), [])) for e in job.errors}
    assert "only assign child products to parent products" in errors[2]
    assert 3 in errors
    assert job.rows_new == 1


def test_imported_products_are_found_by_search_once_the_import_committed(shop, dry_run, confirm):
    from modelsearch.backends import get_search_backend

    job = dry_run("products", product_rows())
    backend = get_search_backend()
    assert list(backend.search("Stoneware", Product.objects.all())) == []  # the dry run indexed nothing

    confirm(job)

    assert [p.upc for p in backend.search("Stoneware", Product.objects.all())] == ["MUG-1"]


def test_products_saved_outside_an_import_are_still_indexed_on_save(shop):
    from modelsearch.backends import get_search_backend

    Product.objects.create(upc="SOLO", title="Walnut Spoon", product_class=shop["classes"]["Homeware"])
    assert [p.upc for p in get_search_backend().search("Walnut", Product.objects.all())] == ["SOLO"]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN", "1e999999999"])
def test_non_finite_numbers_in_import_rows_are_row_errors(shop, dry_run, value):
    rows = product_rows()
    rows[3]["price"] = value
    rows[4]["num_in_stock"] = value
    rows[4]["attr:pages"] = value

    job = dry_run("products", rows)

    assert job.status == ImportJob.Status.INVALID
    by_row = {error["row"]: error for error in job.errors}
    assert by_row[4]["fields"]["price"] == ["Enter a price such as 19.99."]
    assert by_row[5]["fields"]["num_in_stock"] == ["Enter a whole number of 0 or more."]
    assert "attr:pages" in by_row[5]["fields"]
