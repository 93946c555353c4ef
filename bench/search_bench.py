"""Search benchmark: product search, suggestions and facet counts on a big catalogue, new path against old.

    # a scratch PostgreSQL database (never the development one), seeded with 10,000 products:
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> REDIS_URL=redis://127.0.0.1:6379/<n>
    export DJANGO_SETTINGS_MODULE=config.settings.local DEBUG=0 MEDIA_ROOT=var/bench/media
    .venv/bin/python bench/search_bench.py --seed 10000 --requests 40
    # SQLite: SQLITE_PATH=var/bench/search.sqlite3 instead of DATABASE_URL (its path must contain "bench")

`--seed N` migrates and runs `seed_demo --products N` first (only what is missing). PostgreSQL is then
ANALYZEd (autovacuum may be off). Each scenario sends `--requests` GETs through Django's test client
(the whole stack, no network) as an anonymous shopper with the cache cleared before each request (the
uncached cost; the clearing is not timed), after one untimed request to warm the process; rows marked
"warm cache" keep the cache (cards, filter options and facet counts cached for anonymous shoppers). Modes, side
by side in one run:

- new: the shipped path (ranking.py's SQL over the search index; relevance paged in Python, ADR 54);
- old: ranking through Wagtail's search backend alone (as before ADR 54 on PostgreSQL), and relevance
  ordered by one `CASE WHEN pk=...` per ranked id, as the handler did before (reproduced here only).

Prints p50/p99 wall and CPU (`time.process_time`) milliseconds, the queries of one request, the
old/new ratio of p50 CPU, and the load average before and after. Not a test: figures go to bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import config.pythonpath  # noqa: E402,F401
from bench.stats import percentile  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


@contextlib.contextmanager
def _old_path():
    """The path before ADR 54: backend ranking, and relevance as one CASE WHEN per ranked id."""
    from django.core.paginator import Paginator
    from django.db.models import Case, When

    from catalogue.search import handler, ranking

    def page_by_case(self, queryset):
        ids = self.ranked_ids
        rank = Case(*[When(pk=pk, then=position) for position, pk in enumerate(ids)], default=len(ids))
        results = queryset.filter(pk__in=ids).order_by(rank, "id") if ids else queryset.none()
        paginator = Paginator(results, self.per_page)
        return paginator, paginator.get_page(self.params.get("page"))

    saved = (ranking._postgres_fast_path_applies, ranking._sqlite_fast_path_applies)
    saved_page = handler.ProductSearchHandler._page_by_relevance
    ranking._postgres_fast_path_applies = ranking._sqlite_fast_path_applies = lambda backend: False
    handler.ProductSearchHandler._page_by_relevance = page_by_case
    try:
        yield
    finally:
        ranking._postgres_fast_path_applies, ranking._sqlite_fast_path_applies = saved
        handler.ProductSearchHandler._page_by_relevance = saved_page


def _time(client, url: str, requests: int, *, cold: bool = True) -> dict:
    from django.core.cache import cache
    from django.db import connection

    cache.clear()
    response = client.get(url)  # warm the process (imports, templates) and, when not cold, the cache
    assert response.status_code == 200, (url, response.status_code)
    if cold:
        cache.clear()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    walls, cpus = [], []
    for _ in range(requests):
        if cold:
            cache.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(url)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return {
        "wall50": statistics.median(walls),
        "wall99": percentile(walls, 0.99),
        "cpu50": statistics.median(cpus),
        "cpu99": percentile(cpus, 0.99),
        "queries": len(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0, help="Seed this many demo products first.")
    parser.add_argument("--requests", type=int, default=30, help="Requests per scenario and mode.")
    parser.add_argument("--words", default="shirt,mug,blue,lamp", help="Search words, comma-separated.")
    parser.add_argument("--no-old", action="store_true", help="Time the new path only.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from oscar.core.loading import get_model

    database = str(settings.DATABASES["default"]["NAME"])
    if connection.vendor == "sqlite" and "bench" not in database:
        sys.exit("Refusing to run on a database without 'bench' in its path: set SQLITE_PATH=var/bench/...")
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.seed:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("seed_demo", products=args.seed, no_progress=True, verbosity=0)
        print(f"migrate + seed_demo --products {args.seed}: {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    product_model = get_model("catalogue", "Product")
    print(f"{product_model.objects.browsable().count()} browsable products, {product_model.objects.count()} rows "
          f"with variants; database {connection.vendor} ({database}), {args.requests} requests per row")  # fmt: skip

    scenarios = []
    for word in [w.strip() for w in args.words.split(",") if w.strip()]:
        scenarios += [
            (f"API list q={word}", f"/api/v1/products/?q={word}"),
            (f"API list q={word}&facets=1", f"/api/v1/products/?q={word}&facets=1"),
            (f"API suggest q={word}", f"/api/v1/search/suggest/?q={word}"),
            (f"page /search/?q={word}", f"/search/?q={word}"),
            (f"page /search/?q={word} (warm cache)", f"/search/?q={word}"),
        ]
        if len(word) > 3:
            scenarios.append((f"API suggest q={word[:3]}", f"/api/v1/search/suggest/?q={word[:3]}"))
    scenarios.append(("API list facets=1 (no q)", "/api/v1/products/?facets=1"))
    client = Client()
    header = (
        f"{'scenario':44} {'mode':4} {'wall p50':>9} {'p99':>7} {'cpu p50':>8} {'p99':>7} {'queries':>7} "
        f"{'old/new cpu':>11}"
    )
    print(header)
    print("-" * len(header))
    for name, url in scenarios:
        cold = "warm cache" not in name
        new = _time(client, url, args.requests, cold=cold)
        rows = [("new", new, "")]
        if not args.no_old and "q=" in url:
            with _old_path():
                old = _time(client, url, args.requests, cold=cold)
            rows.append(("old", old, f"{old['cpu50'] / new['cpu50']:.1f}x" if new["cpu50"] else "-"))
        for mode, figures, ratio in rows:
            print(f"{name:44} {mode:4} {figures['wall50']:9.1f} {figures['wall99']:7.1f} {figures['cpu50']:8.1f} "
                  f"{figures['cpu99']:7.1f} {figures['queries']:7d} {ratio:>11}")  # fmt: skip
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
