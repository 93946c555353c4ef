"""10,000 rows go through huey (after commit), with progress reported while they run."""

import logging
import re
from decimal import Decimal

from oscar.core.loading import get_model

from dataexchange.models import ImportJob
from dataexchange.progress import progress_publish

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
ROWS = 10_000


def _catalogue(shop, count: int) -> None:
    book = shop["classes"]["Book"]
    Product.objects.bulk_create(
        [Product(upc=f"B{n:05d}", title=f"Book {n}", slug=f"book-{n}", product_class=book) for n in range(count)]
    )
    products = Product.objects.filter(upc__startswith="B").only("pk", "upc")
    StockRecord.objects.bulk_create(
        [
            StockRecord(product=p, partner=shop["partner"], partner_sku=p.upc, price=Decimal("5"), num_in_stock=1)
            for p in products
        ]  # fmt: skip
    )


def test_ten_thousand_stock_rows_import_through_huey_with_progress(shop, dry_run, confirm, caplog):
    _catalogue(shop, ROWS)
    rows = [{"partner_sku": f"B{n:05d}", "num_in_stock": n % 50, "low_stock_threshold": 3} for n in range(ROWS)]
    caplog.set_level(logging.INFO, logger="dataexchange")

    job = dry_run("stock", rows)
    assert (job.status, job.total_rows, job.rows_update, job.rows_rejected) == (ImportJob.Status.READY, ROWS, ROWS, 0)
    assert StockRecord.objects.filter(num_in_stock=1).count() == ROWS  # the dry run wrote nothing
    job = confirm(job)

    assert job.status == ImportJob.Status.DONE
    assert (job.rows_done, job.progress_percent) == (ROWS, 100)
    assert StockRecord.objects.get(partner_sku="B00049").num_in_stock == 49
    assert StockRecord.objects.filter(low_stock_threshold=3).count() == ROWS
    reports = [tuple(map(int, m.groups())) for r in caplog.records
               if (m := re.search(r"import (\d+)/(\d+) rows", r.getMessage()))]  # fmt: skip
    done = [d for d, _ in reports]
    assert len(reports) >= 10 and done == sorted(done) and done[-1] == ROWS
    assert {total for _, total in reports} == {ROWS}


def test_the_progress_page_reports_a_running_import_from_the_workers_updates(client, staff_user, shop):
    job = ImportJob.objects.create(resource="stock", format="csv", file="x.csv", status=ImportJob.Status.IMPORTING,
                                   total_rows=ROWS)  # fmt: skip
    client.force_login(staff_user)
    url = f"/admin/dataexchange/importjob/{job.pk}/progress/"
    assert client.get(url).json()["percent"] == 0

    progress_publish(job_id=job.pk, phase="import", done=2500, total=ROWS)  # what the worker does every 250 rows

    body = client.get(url).json()
    assert (body["status"], body["phase"], body["done"], body["total"], body["percent"], body["running"]) == (
        "importing", "import", 2500, ROWS, 25, True)  # fmt: skip
    page = client.get(f"/admin/dataexchange/importjob/{job.pk}/change/")
    assert b'id="import-job-bar"' in page.content and b"2500" in page.content
