"""CPU and queries per storefront page, in one process, on PostgreSQL + Redis (issue 17, goal 2).

    .venv/bin/python bench/pages_bench.py --prepare --products 2000     # scratch database, seeded
    .venv/bin/python bench/pages_bench.py --requests 30                 # measure
    .venv/bin/python bench/pages_bench.py --profile "product page"      # where one page's CPU goes

Production settings (`bench.settings`) on the scratch PostgreSQL database `--database` and Redis DB
`--redis-db`; each page is requested through Django's test client (middleware, view, templates,
database, cache; no server, no network) as an anonymous shopper:
- **cold**: the cache (Redis) is cleared before every request: nothing cached, but thumbnails made
  earlier are on disk;
- **warm**: every URL is requested once, then timed again with the catalogue cache working;
- **order**: as warm, but before each request one unit of a product shown on the first catalogue page is
  allocated as an order's placement does (`stockrecords_allocate` under its row lock, committed): the
  page right after every order (ADR 23 addenda).
For each page and mode: CPU milliseconds of this process (`time.process_time`, which the machine's load
disturbs less than wall time) p50 and max, wall p50, and the queries of one request. The pages: the
catalogue's first page, the search page (q=shirt), the CMS home page, and product pages (a parent with
variants, `--requests` different ones; a standalone product). The machine's load is printed with the
table. `--first-view` also times the product list once after deleting every thumbnail (files and
sorl's store): what a page costs when its images are new. Not a test: figures go to bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
import config.pythonpath  # noqa: E402,F401
from bench.environment import bench_environment  # noqa: E402


def _environment(args) -> dict[str, str]:
    return bench_environment(
        database=args.database,
        redis_db=args.redis_db,
        SECRET_KEY="bench-pages-not-a-secret-" + "x" * 40,
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        SERVE_MEDIA="1",
        SITE_URL="http://testserver",
    )


def _prepare(args) -> None:
    drop, create = f"DROP DATABASE IF EXISTS {args.database}", f"CREATE DATABASE {args.database}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", drop, "-c", create, "postgres"]
    subprocess.run(psql, check=True)  # noqa: S603,S607 - psql from PATH, as scripts/smoke uses it
    manage = [str(BIN / "python"), "manage.py"]
    started = time.monotonic()
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True)  # noqa: S603
    subprocess.run([*manage, "seed_demo", "--products", str(args.products), "--no-progress", "-v", "0"],  # noqa: S603
                   cwd=ROOT, check=True)  # fmt: skip
    analyze = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-d", args.database, "-c", "ANALYZE"]
    subprocess.run(analyze, check=True)  # noqa: S603,S607 - autovacuum may be off here
    subprocess.run([*manage, "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, check=True)  # noqa: S603
    print(f"pages_bench: database ready in {time.monotonic() - started:.0f} s ({args.products} products)")


def _pages(requests: int) -> dict[str, list[str]]:
    """Page name -> the URLs it is measured on (one per request, repeated when there are fewer)."""
    from catalogue.catalogue.models import Product

    parents = Product.objects.browsable().filter(structure="parent").order_by("id")
    standalone = Product.objects.browsable().filter(structure="standalone").order_by("id").first()
    return {
        "/catalogue/": ["/catalogue/"],
        "/search/?q=shirt": ["/search/?q=shirt"],
        "home (CMS)": ["/"],
        "product page (parent)": [p.get_absolute_url() for p in parents[: max(1, requests)]],
        "product page (standalone)": [standalone.get_absolute_url()] if standalone else [],
    }


def _one(client, url: str) -> tuple[float, float, int]:
    """CPU ms, wall ms and queries of one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        cpu, wall = time.process_time(), time.perf_counter()
        response = client.get(url)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    return cpu * 1000, wall * 1000, len(queries)


def _ordered_records() -> list:
    """A stock record of each product on the first catalogue page (a parent's first variant's), with
    stock to spare, for the "order" mode."""
    import re

    from django.test import Client

    from catalogue.catalogue.models import Product

    html = Client().get("/catalogue/").content.decode()
    ids = list(dict.fromkeys(int(pk) for pk in re.findall(r'href="/catalogue/[\w-]+_(\d+)/"', html)))
    records = []
    for product in Product.objects.filter(pk__in=ids).prefetch_related("stockrecords", "children__stockrecords"):
        owners = [product] if not product.is_parent else list(product.children.all())
        found = [r for owner in owners for r in owner.stockrecords.all() if _free(r) > 5]
        records.extend(found[:1])
    if not records:
        sys.exit("no product on the first catalogue page has stock to spare")
    return records


def _free(record) -> int:
    return (record.num_in_stock or 0) - (record.num_allocated or 0)


def _order_one(record) -> None:
    """One unit of `record` allocated as a placement does: under its row lock, the bump after commit."""
    import inspect

    from django.db import transaction

    from catalogue.partner.models import StockRecord
    from catalogue.partner.services import stockrecords_allocate

    with transaction.atomic():
        locked = StockRecord.objects.select_for_update().select_related("product").get(pk=record.pk)
        extra = {}
        if "parent_ids" in inspect.signature(stockrecords_allocate).parameters:  # the code before had none
            extra["parent_ids"] = {locked.product.parent_id} - {None}
        stockrecords_allocate(records={locked.pk: locked}, quantities={locked.pk: 1}, **extra)


def _measure(urls: list[str], requests: int, mode: str) -> dict:
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    for url in urls:
        client.get(url)  # warm-up: imports, templates, thumbnails made; the cache filled (cold clears it)
    ordered = _ordered_records() if mode == "order" else []
    rows = []
    for index in range(requests):
        if mode == "cold":
            cache.clear()
        if ordered:
            _order_one(ordered[index % len(ordered)])
        rows.append(_one(client, urls[index % len(urls)]))
    cpu = [row[0] for row in rows]
    return {
        "cpu_p50": statistics.median(cpu),
        "cpu_max": max(cpu),
        "wall_p50": statistics.median(row[1] for row in rows),
        "queries": statistics.median(row[2] for row in rows),
        "queries_max": max(row[2] for row in rows),
    }


def _first_view(requests: int) -> None:
    """The product list after every thumbnail is deleted: the cost of a page whose images are new."""
    import shutil

    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from sorl.thumbnail import default

    shutil.rmtree(Path(settings.MEDIA_ROOT) / settings.THUMBNAIL_PREFIX.strip("/"), ignore_errors=True)
    default.kvstore.clear()
    cache.clear()
    client = Client()
    for url in ("/catalogue/", "/"):
        cpu, wall, queries = _one(client, url)
        print(f"first view after every thumbnail was deleted: {url}: {cpu:.1f} ms CPU, {wall:.1f} ms wall, "
              f"{queries} queries")  # fmt: skip


def _profile(urls: list[str], mode: str, requests: int) -> None:
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    for url in urls:
        client.get(url)
    profiler = cProfile.Profile(time.process_time)  # CPU, as the table measures
    for index in range(requests):
        if mode == "cold":
            cache.clear()
        profiler.enable()
        client.get(urls[index % len(urls)])
        profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prepare", action="store_true", help="drop, migrate and seed the scratch database")
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page and mode")
    parser.add_argument("--only", default="", help="only pages whose name contains this")
    parser.add_argument("--profile", default="", help="cProfile this page (a name as printed) instead")
    parser.add_argument("--mode", default="warm", choices=("warm", "cold"), help="with --profile")
    parser.add_argument("--modes", default="cold,warm", help="cold, warm, order (comma-separated; cold clears Redis)")
    parser.add_argument("--first-view", action="store_true", help="also time pages whose thumbnails are new")
    parser.add_argument("--database", default="hypex_bench_pages", help="scratch PostgreSQL database (dropped)")
    parser.add_argument("--redis-db", type=int, default=10, help="Redis DB number (cleared)")
    args = parser.parse_args()

    load_at_start = os.getloadavg()
    os.environ.update(_environment(args))
    if args.prepare:
        _prepare(args)
    import django

    django.setup()
    from django.db import connection

    pages = _pages(args.requests)
    if args.profile:
        _profile(pages[args.profile], args.mode, args.requests)
        return
    load = " ".join(f"{value:.2f}" for value in load_at_start)
    print(f"pages_bench: {connection.vendor}, Redis DB {args.redis_db}, {args.requests} requests per page "
          f"and mode; load average at start {load}")  # fmt: skip
    print(f"{'page':28} {'mode':5} {'CPU p50':>8} {'CPU max':>8} {'wall p50':>9} {'queries':>8}")
    for name, urls in pages.items():
        if not urls or args.only.lower() not in name.lower():
            continue
        for mode in args.modes.split(","):
            row = _measure(urls, args.requests, mode)
            queries = f"{row['queries']:.0f}" + (
                f"-{row['queries_max']}" if row["queries_max"] != row["queries"] else ""
            )
            print(f"{name:28} {mode:5} {row['cpu_p50']:8.1f} {row['cpu_max']:8.1f} {row['wall_p50']:9.1f} "
                  f"{queries:>8}", flush=True)  # fmt: skip
    if args.first_view:
        _first_view(args.requests)
    end = os.getloadavg()
    print(f"load average at the end {end[0]:.2f} {end[1]:.2f} {end[2]:.2f}")
    if load_at_start[0] > 1.0:
        print("WARNING: the machine was busy when the bench started; wall times are noisy (CPU less so).")


if __name__ == "__main__":
    main()
