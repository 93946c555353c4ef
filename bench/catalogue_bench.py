"""Catalogue benchmark: time the list, search, product pages and API on a big demo catalogue.

    # a scratch SQLite database (never the development one), seeded with 10,000 products:
    export SQLITE_PATH=var/bench/catalogue.sqlite3 MEDIA_ROOT=var/bench/media
    export DJANGO_SETTINGS_MODULE=config.settings.local DEBUG=0
    .venv/bin/python bench/catalogue_bench.py --seed 10000 --requests 40
    # PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> instead of SQLITE_PATH

`--seed N` migrates and runs `seed_demo --products N` first (idempotent: only what is missing), and
prints how long it took. Each scenario then sends `--requests` GETs through Django's test client
(the whole stack: middleware, views, templates, database; no network) as an anonymous shopper:
"cold" clears the cache before every request (the uncached cost), "warm" requests every URL once first,
then times them again with the catalogue cache working (catalogue/cache.py).
Prints p50/p95/max in milliseconds. Not a test: figures go to bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import config.pythonpath  # noqa: E402,F401
from bench.stats import percentile  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0, help="Seed this many demo products first.")
    parser.add_argument("--requests", type=int, default=30, help="Requests per scenario and mode.")
    parser.add_argument("--only", default="", help="Only scenarios whose name contains this, e.g. API.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from oscar.core.loading import get_model

    if "sqlite" in settings.DATABASES["default"]["ENGINE"] and "bench" not in str(
        settings.DATABASES["default"]["NAME"]
    ):
        sys.exit("Refusing to run on a database without 'bench' in its path: set SQLITE_PATH=var/bench/...")
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    if args.seed:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("seed_demo", products=args.seed, no_progress=True, verbosity=0)
        print(f"seed_demo --products {args.seed}: {time.perf_counter() - started:.0f} s")

    product_model = get_model("catalogue", "Product")
    category_model = get_model("catalogue", "Category")
    browsable = list(product_model.objects.browsable().values_list("pk", flat=True))
    rng = random.Random(7)  # noqa: S311 (a repeatable sample, not a secret)
    sample = [rng.choice(browsable) for _ in range(args.requests)]
    products = product_model.objects.in_bulk(sample)
    category = category_model.objects.filter(depth=2).order_by("path").first()
    pages = max(1, len(browsable) // settings.OSCAR_PRODUCTS_PER_PAGE)
    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"{len(browsable)} browsable products, {product_model.objects.count()} rows with variants; "
          f"database {connection.vendor}, cache {cache_backend}")  # fmt: skip

    scenarios = {
        "catalogue page 1": lambda i: "/catalogue/",
        f"catalogue page {pages // 2}": lambda i: f"/catalogue/?page={pages // 2}",
        "category page": lambda i: category.get_absolute_url(),
        "search page q=shirt": lambda i: "/search/?q=shirt",
        "product page": lambda i: products[sample[i]].get_absolute_url(),
        "API list": lambda i: "/api/v1/products/",
        "API search q=oxford": lambda i: "/api/v1/products/?q=oxford",
        "API detail": lambda i: f"/api/v1/products/{sample[i]}/",
        "API recommendations": lambda i: f"/api/v1/products/{sample[i]}/recommendations/",
        "API suggest q=oxf": lambda i: "/api/v1/search/suggest/?q=oxf",
    }
    print(f"{'scenario':28} {'mode':5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, url_for in scenarios.items():
        if args.only.lower() not in name.lower():
            continue
        for mode in ("cold", "warm"):
            client = Client()
            for index in range(args.requests if mode == "warm" else 1):
                client.get(url_for(index))  # warm-up: imports, thumbnails; in warm mode every URL once
            timings = []
            for index in range(args.requests):
                if mode == "cold":
                    cache.clear()
                started = time.perf_counter()
                response = client.get(url_for(index))
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    sys.exit(f"{url_for(index)} answered {response.status_code}")
            print(f"{name:28} {mode:5} {statistics.median(timings):8.1f} {percentile(timings, 0.95):8.1f} "
                  f"{max(timings):8.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
