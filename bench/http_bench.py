"""HTTP throughput of the production server, side by side with other servers and a plain-Django floor.

    bench/install-tools                       # wrk (Debian) and the servers compared (PyPI, bench only)
    .venv/bin/python bench/http_bench.py --products 2000 --duration 10

What it does (issue 17), on PostgreSQL + Redis and the production settings plus the floor view
(`bench.settings`: bench/floor.py, the same 50 products and fields as the product list API, with
`.values()` and `JsonResponse`):
1. Unless `--reuse`, drops and re-creates the scratch database `--database`, migrates it, seeds
   `--products` products (`seed_demo`), runs ANALYZE (autovacuum may be off), collects static files.
2. For each server in `--servers`, one at a time on the same port range: starts it, warms every URL,
   then loads each endpoint with `wrk -t1 -c<connections> -d<duration>s --latency` and reads req/s, p50
   and p99 (and any non-2xx answers, which void a row).
3. Prints one table: req/s, p50, p99 per endpoint and server, the signed-in list's share of the floor
   on the same server, the signed-in product detail's ratio to django-oscar-api's (mounted at /oscarapi/
   by `bench.settings`), and each server's req/s relative to the shipped one. With `--queries`, a second
   table: each endpoint's queries and CPU per request in process, uncached and cached. The machine's load is
   recorded before each server; a warning is printed when something else was running.

Servers (each serves the same code and settings):
- `shipped`: the production server as the Dockerfile runs it: gunicorn with `--workers` uvicorn workers
  (`config/gunicorn.py`, `config.asgi`: Django's HTTP in one thread hop per request, ADR 53).
- `gunicorn-sync`: gunicorn with `--workers` sync workers on the WSGI application (the reference).
- `uvicorn-stock`: the same gunicorn + uvicorn workers on Django's own ASGI handler (`bench/stock_asgi.py`).
- `daphne`: one daphne process, the production server before ADR 53 (and `runserver`'s).
- `granian`: granian with `--workers` workers on `config.asgi` (ASGI, websockets too).
- `shipped@N`: the shipped server with `HTTP_THREADS=N` (threads per worker for Django's HTTP; default 2).
Not a test: the figures go to bench/README.md with the date and the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
import config.pythonpath  # noqa: E402,F401
from bench.environment import bench_environment  # noqa: E402


def _environment(args) -> dict[str, str]:
    return bench_environment(
        database=args.database, redis_db=args.redis_db, SERVE_MEDIA="1", SITE_URL=f"http://127.0.0.1:{args.port}"
    )


def _server_command(name: str, args) -> list[str]:
    bind = f"127.0.0.1:{args.port}"
    workers = str(args.workers)
    shipped = [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "-w", workers, "-b", bind]
    return {
        "shipped": [*shipped, "config.asgi:application"],
        "daphne": [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(args.port), "-v", "0", "config.asgi:application"],
        "gunicorn-sync": [str(BIN / "gunicorn"), "-w", workers, "-b", bind, "config.wsgi:application"],
        "uvicorn-stock": [*shipped, "bench.stock_asgi:application"],
        "granian": [str(BIN / "granian"), "--interface", "asgi", "--workers", workers, "--host", "127.0.0.1",
                    "--port", str(args.port), "config.asgi:application"],
    }[name.partition("@")[0]]  # fmt: skip


def _server_env(name: str, env: dict[str, str]) -> dict[str, str]:
    """`shipped@N`: the shipped server with HTTP_THREADS=N (threads per worker for Django's HTTP, ADR 53)."""
    threads = name.partition("@")[2]
    return {**os.environ, **env, **({"HTTP_THREADS": threads} if threads else {})}


def _prepare(args) -> None:
    database = f"DROP DATABASE IF EXISTS {args.database}", f"CREATE DATABASE {args.database}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", database[0], "-c", database[1], "postgres"]
    subprocess.run(psql, check=True)  # noqa: S603,S607 - psql from PATH, as scripts/smoke uses it
    manage = [str(BIN / "python"), "manage.py"]
    started = time.monotonic()
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True)  # noqa: S603
    subprocess.run([*manage, "seed_demo", "--products", str(args.products), "--no-progress", "-v", "0"],  # noqa: S603
                   cwd=ROOT, check=True)  # fmt: skip
    analyze = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-d", args.database, "-c", "ANALYZE"]
    subprocess.run(analyze, check=True)  # noqa: S603,S607
    subprocess.run([*manage, "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, check=True)  # noqa: S603
    print(f"http_bench: database ready in {time.monotonic() - started:.0f} s ({args.products} products)")


def _fixtures() -> dict:
    """A signed-in shopper's token and the URLs to load (read in this process through the ORM)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from rest_framework_simplejwt.tokens import AccessToken

    from catalogue.catalogue.models import Product

    customer = get_user_model().objects.get(email="customer@hypex.test")
    product = Product.objects.filter(structure="parent", is_public=True).order_by("id").first()
    from django.db import connections

    connections.close_all()
    return {
        # a fresh access token for each server: a run outlasts one token's lifetime
        "token": lambda: str(AccessToken.for_user(customer)),
        "product_id": product.pk,
        "product_url": product.get_absolute_url(),
    }


def _endpoints(fixtures: dict, pages: bool) -> list[tuple[str, str, bool]]:
    """(name, path, signed in)."""
    rows = [
        ("API product list, 50 (anonymous, cached)", "/api/v1/products/?page_size=50", False),
        ("API product list, 50 (signed in)", "/api/v1/products/?page_size=50", True),
        ("floor: same 50 products, .values()", "/bench/floor/products/?page_size=50", True),
        ("API product detail (anonymous)", f"/api/v1/products/{fixtures['product_id']}/", False),
        ("API product detail (signed in)", f"/api/v1/products/{fixtures['product_id']}/", True),
        # django-oscar-api (bench.settings, /oscarapi/): its list links each product's price and availability
        # instead of embedding them; its detail embeds them, as ours does.
        ("django-oscar-api product list, 50 (signed in)", "/oscarapi/products/?page_size=50", True),
        ("django-oscar-api product detail (signed in)", f"/oscarapi/products/{fixtures['product_id']}/", True),
    ]
    if pages:
        rows += [
            ("page: /catalogue/", "/catalogue/", False),
            ("page: /search/?q=shirt", "/search/?q=shirt", False),
            ("page: home (CMS)", "/", False),
            ("page: product", fixtures["product_url"], False),
        ]
    return rows


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def _wrk(url: str, args, token: str | None) -> dict:
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.duration}s", "--latency", url]
    if token:
        command[1:1] = ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1))
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {"rps": rate, "p50": p50, "p99": p99, "non2xx": int(bad.group(1)) if bad else 0}


def _wait_ready(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not answer in 90 s")


def _measure(name: str, args, env: dict[str, str], endpoints, token: str) -> dict:
    log = ROOT / "var" / "bench" / f"http-{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as output:
        process = subprocess.Popen(  # noqa: S603
            _server_command(name, args), cwd=ROOT, env=_server_env(name, env), stdout=output, stderr=subprocess.STDOUT
        )
    results = {"load": os.getloadavg()[0]}
    try:
        _wait_ready(args.port, process, log)
        base = f"http://127.0.0.1:{args.port}"
        for _, path, signed_in in endpoints:  # warm: caches, thumbnails, each worker's first request
            for _ in range(2 * args.workers):
                request = urllib.request.Request(base + path)  # noqa: S310
                if signed_in:
                    request.add_header("Authorization", f"Bearer {token}")
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                    response.read()
        for label, path, signed_in in endpoints:
            results[label] = _wrk(base + path, args, token if signed_in else None)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    return results


def _table(args, endpoints, measured: dict[str, dict]) -> str:
    servers = list(measured)
    shipped = servers[0]
    lines = [
        f"{args.products} products, wrk -t1 -c{args.connections} -d{args.duration}s, {args.workers} workers "
        f"(daphne: 1 process); ratios against the first server; load before each server: "
        + ", ".join(f"{server} {measured[server]['load']:.2f}" for server in servers),
        "",
        "| endpoint | " + " | ".join(f"{s} req/s (p50/p99 ms)" for s in servers) + " |",
        "|---|" + "---:|" * len(servers),
    ]
    for label, _, _ in endpoints:
        cells = []
        for server in servers:
            row = measured[server][label]
            cell = f"{row['rps']:.0f} ({row['p50']:.1f}/{row['p99']:.1f})"
            if row["non2xx"]:
                cell += f" {row['non2xx']} non-2xx!"
            if server != shipped and measured[shipped][label]["rps"]:
                cell += f" x{row['rps'] / measured[shipped][label]['rps']:.2f}"
            cells.append(cell)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    floor = "floor: same 50 products, .values()"
    share = [
        f"{server} {measured[server]['API product list, 50 (signed in)']['rps'] / measured[server][floor]['rps']:.0%}"
        for server in servers
        if measured[server][floor]["rps"]
    ]
    lines += ["", "signed-in product list as a share of the floor on the same server: " + ", ".join(share)]
    peer, ours = "django-oscar-api product detail (signed in)", "API product detail (signed in)"
    ratio = [f"{server} x{measured[server][ours]['rps'] / measured[server][peer]['rps']:.2f}"
             for server in servers if measured[server][peer]["rps"]]  # fmt: skip
    lines += ["signed-in product detail, Hypex / django-oscar-api req/s on the same server: " + ", ".join(ratio)]
    return "\n".join(lines)


def _queries_and_cpu(endpoints, token: str, repeat: int = 20) -> str:
    """In this process (Django's test client, the same settings and database): each endpoint's queries
    and median CPU ms per request, uncached (the catalogue cache version bumped before each request, as
    after any catalogue change), and the same for a cache hit. CPU time, which the machine's load
    disturbs less than requests/s."""
    import statistics

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalogue.cache import catalogue_version_bump

    lines = [
        "| endpoint | queries, uncached | CPU ms, uncached | queries, cached | CPU ms, cached |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, path, signed_in in endpoints:
        if path.startswith("/api/v1/products/") and not signed_in:
            continue  # the same answers as signed in: one row each
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if signed_in else {}
        client = Client(HTTP_HOST="127.0.0.1", **headers)
        cells = []
        for bump in (True, False):
            client.get(path)
            times = []
            for _ in range(repeat):
                if bump:
                    catalogue_version_bump()
                started = time.process_time()
                client.get(path)
                times.append((time.process_time() - started) * 1000)
            if bump:
                catalogue_version_bump()
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200, path
            cells += [str(len(captured)), f"{statistics.median(times):.1f}"]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--servers", default="shipped,gunicorn-sync,uvicorn-stock,daphne,granian")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="processes (not daphne)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pages", action="store_true", help="also the storefront pages")
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database of an earlier run")
    parser.add_argument("--queries", action="store_true", help="also queries and CPU per request, in process")
    parser.add_argument("--database", default="hypex_bench_http", help="scratch PostgreSQL database (dropped)")
    parser.add_argument("--redis-db", type=int, default=11, help="Redis DB number")
    parser.add_argument("--port", type=int, default=8451)
    args = parser.parse_args()

    load_at_start = os.getloadavg()[0]  # before this script's own work: what else the machine was doing
    env = _environment(args)
    os.environ.update(env)
    if not args.reuse:
        _prepare(args)
    else:  # an earlier run's database may predate an app of bench.settings (django-oscar-api)
        migrate = [str(BIN / "python"), "manage.py", "migrate", "--no-input", "-v", "0"]
        subprocess.run(migrate, cwd=ROOT, check=True)  # noqa: S603
    fixtures = _fixtures()
    endpoints = _endpoints(fixtures, args.pages)
    measured = {}
    for name in args.servers.split(","):
        subprocess.run(["redis-cli", "-n", str(args.redis_db), "flushdb"], check=True, capture_output=True)  # noqa: S603,S607
        measured[name] = _measure(name, args, env, endpoints, fixtures["token"]())
        print(f"http_bench: {name} done: {json.dumps(measured[name])}", flush=True)
    print()
    print(_table(args, endpoints, measured))
    if args.queries:
        print()
        print(_queries_and_cpu(endpoints, fixtures["token"]()))
    print(json.dumps({"load_average_when_the_script_started": load_at_start}))
    if load_at_start > 1.0:
        print("WARNING: the machine was busy before the bench started; these figures are noisy.")


if __name__ == "__main__":
    main()
