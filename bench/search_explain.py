"""EXPLAIN (ANALYZE, BUFFERS) of every SQL query one request runs: where PostgreSQL spends a search's time.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db seeded by search_bench.py>
    export REDIS_URL=redis://127.0.0.1:6379/<n> DJANGO_SETTINGS_MODULE=config.settings.local DEBUG=0
    .venv/bin/python bench/search_explain.py "/api/v1/products/?q=shirt" [--summary]

The request goes through Django's test client (the whole stack) with the cache cleared; its queries are
captured (CaptureQueriesContext) and each one is explained with its own parameters, in order. With
`--summary`, one line per query: execution ms, planning ms and the first 110 characters. With
`--repeat N`, each query is then run N times more without EXPLAIN (its median, round trip included:
EXPLAIN ANALYZE's own timing inflates plans with many rows). Not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import config.pythonpath  # noqa: E402,F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

TIMES = re.compile(r"(Planning|Execution) Time: ([\d.]+) ms")
ARRAY = re.compile(r"'\{[\d,]{80,}\}'")  # a long literal id array, shortened in the output


def _short(text: str) -> str:
    return ARRAY.sub(lambda match: f"'{{<{match.group().count(',') + 1} ids>}}'", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", help="A path with its query string, e.g. /api/v1/products/?q=shirt")
    parser.add_argument("--summary", action="store_true", help="One line per query instead of the plans.")
    parser.add_argument(
        "--repeat", type=int, default=0, help="Also run the request's queries N times: median ms each, no EXPLAIN."
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        sys.exit("EXPLAIN (ANALYZE, BUFFERS) here is PostgreSQL's: set DATABASE_URL.")
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    cache.clear()
    client.get(args.url)  # warm the process and the database's buffers
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(args.url)
    print(f"{args.url}: HTTP {response.status_code}, {len(captured.captured_queries)} queries")
    total = 0.0
    for number, query in enumerate(captured.captured_queries, 1):
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            print(f"#{number} not a SELECT: {sql[:110]}")
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)  # the logged SQL carries its parameters
            plan = [row[0] for row in cursor.fetchall()]
        times = dict(TIMES.findall("\n".join(plan)))
        total += float(times.get("Execution", 0))
        if args.summary:
            print(f"#{number} exec {times.get('Execution', '?'):>8} ms  plan {times.get('Planning', '?'):>6} ms  "
                  f"{_short(' '.join(sql.split()))[:110]}")  # fmt: skip
        else:
            print(_short(f"\n#{number} {sql}\n" + "\n".join(plan)))
    print(f"execution total: {total:.1f} ms; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.repeat:
        medians = []
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                runs = []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    cursor.execute(query["sql"])
                    cursor.fetchall()
                    runs.append((time.perf_counter() - started) * 1000)
                medians.append(statistics.median(runs))
        print(f"queries run {args.repeat} times, median ms each (round trip included): "
              f"{' '.join(f'{m:.2f}' for m in medians)}; sum {sum(medians):.1f} ms; "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip


if __name__ == "__main__":
    main()
