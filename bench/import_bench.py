"""Import benchmark: 10,000-row files through the same path staff use (upload -> dry run -> confirm -> import).

    # a scratch SQLite database (never the development one):
    export SQLITE_PATH=var/bench/import.sqlite3 MEDIA_ROOT=var/bench/media DATAEXCHANGE_FILES_ROOT=var/bench/private
    export DJANGO_SETTINGS_MODULE=config.settings.local DEBUG=0
    .venv/bin/python bench/import_bench.py --rows 10000
    # PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> instead of SQLITE_PATH

Migrates first. Scenarios, each a fresh ImportJob run by the huey tasks in-process (HUEY_MODE=immediate,
the embedded default; a Redis worker runs the same service code):
- products: N rows creating products (standalone books and clothing parents with 4 variants each) with
  categories, attributes, SKU, price and stock; then the same file again (N updates);
- stock: N stock-level updates of existing stock records.
Prints seconds and rows/s for the dry run and the import of each. Not a test: figures go to bench/import_bench.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import config.pythonpath  # noqa: E402,F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("HUEY_MODE", "immediate")
PREFIX = "BENCH"


def product_rows(count: int) -> list[dict]:
    rows, n = [], 0
    while len(rows) < count:
        n += 1
        if n % 2:
            rows.append({"upc": f"{PREFIX}-B{n}", "parent_upc": "", "structure": "", "product_class": "Book",
                         "title": f"Bench book {n}", "categories": "Books > Bench", "partner_sku": f"{PREFIX}-B{n}",
                         "price": "9.99", "num_in_stock": "5", "attr:author": "A. Bench", "attr:pages": "200",
                         "attr:colour": "", "attr:size": ""})  # fmt: skip
            continue
        blank = dict.fromkeys(("parent_upc", "partner_sku", "price", "num_in_stock", "attr:author", "attr:pages",
                               "attr:colour", "attr:size"), "")  # fmt: skip
        rows.append({**blank, "upc": f"{PREFIX}-T{n}", "structure": "parent", "product_class": "Clothing",
                     "title": f"Bench tee {n}", "categories": "Clothing > Bench"})  # fmt: skip
        for size in ("S", "M", "L", "XL"):
            rows.append({"upc": f"{PREFIX}-T{n}-{size}", "parent_upc": f"{PREFIX}-T{n}", "structure": "",
                         "product_class": "", "title": f"Bench tee {n}, {size}", "categories": "",
                         "partner_sku": f"{PREFIX}-T{n}-{size}", "price": "25.00", "num_in_stock": "3",
                         "attr:author": "", "attr:pages": "", "attr:colour": "Red", "attr:size": size})  # fmt: skip
    return rows[:count]


def csv_bytes(rows: list[dict]) -> bytes:
    import tablib

    headers = list(rows[0])
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append([row[key] for key in headers])
    return dataset.export("csv").encode()


def run(resource: str, content: bytes, label: str, profile: str = "") -> None:
    """One file: upload + dry run, then confirm + import (with the search indexing and the other
    after-commit work, all in this process). Wall and CPU seconds: CPU is what the load disturbs less."""
    import cProfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from dataexchange import services
    from dataexchange.models import ImportJob

    profiler = cProfile.Profile() if profile else None
    started, cpu0 = time.perf_counter(), time.process_time()
    job = services.import_job_create(resource=resource, format="csv", file=SimpleUploadedFile("b.csv", content))
    job.refresh_from_db()  # outside a transaction the immediate huey ran the dry run already
    checked, cpu1 = time.perf_counter(), time.process_time()
    assert job.status == ImportJob.Status.READY, (job.message, job.errors[:3])
    if profiler:
        profiler.enable()
    job = services.import_job_confirm(job=job)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    job.refresh_from_db()
    done, cpu2 = time.perf_counter(), time.process_time()
    assert job.status == ImportJob.Status.DONE, (job.message, job.errors[:3])
    rows = job.total_rows
    dry, imp, dry_cpu, imp_cpu = checked - started, done - checked, cpu1 - cpu0, cpu2 - cpu1
    print(f"{label:<22} {rows:>6} rows  dry run {dry:6.1f} s ({rows / dry:5.0f} rows/s, CPU {dry_cpu:5.1f} s = "
          f"{rows / dry_cpu:5.0f} rows/CPU-s)  import {imp:6.1f} s ({rows / imp:5.0f} rows/s, CPU {imp_cpu:5.1f} s = "
          f"{rows / imp_cpu:5.0f} rows/CPU-s)  new {job.rows_new} update {job.rows_update}  load {_load()}",
          flush=True)  # fmt: skip


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--update", action="store_true", help="Also import the product file a second time.")
    parser.add_argument("--profile", default="", help="cProfile the product import (create) into this file.")
    parser.add_argument("--no-stock", action="store_true", help="Skip the stock-level file.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from oscar.core.loading import get_model

    if "sqlite" in settings.DATABASES["default"]["ENGINE"] and "bench" not in str(
        settings.DATABASES["default"]["NAME"]
    ):
        sys.exit("Refusing to run on a database without 'bench' in its path: set SQLITE_PATH=var/bench/...")
    if settings.HUEY.get("immediate") is not True:
        sys.exit("Run with HUEY_MODE=immediate: the benchmark times the import in this process.")
    call_command("migrate", verbosity=0)
    from demodata import builders

    builders.product_classes_build()
    builders.partner_build()
    Product = get_model("catalogue", "Product")
    Product.objects.filter(upc__startswith=PREFIX, parent__isnull=False).delete()
    Product.objects.filter(upc__startswith=PREFIX).delete()

    print(f"{connection.vendor}, {args.rows} rows per file", flush=True)
    rows = product_rows(args.rows)
    content = csv_bytes(rows)
    run("products", content, "products (create)", args.profile)
    if args.update:
        run("products", content, "products (update)")
    if args.no_stock:
        return
    stock = [{"partner_sku": r["partner_sku"], "num_in_stock": i % 40, "low_stock_threshold": 2}
             for i, r in enumerate(rows) if r["partner_sku"]]  # fmt: skip
    while len(stock) < args.rows:  # parents carry no stock: top the file up with repeated SKUs
        stock.append(dict(stock[len(stock) % len(stock)]))
    run("stock", csv_bytes(stock[: args.rows]), "stock levels (update)")


if __name__ == "__main__":
    main()
