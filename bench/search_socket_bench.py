"""Header search box: are suggestions faster over `/ws/search/` than over `GET /api/v1/search/suggest/`?

    .venv/bin/python bench/search_socket_bench.py --port 8331 --rounds 300 --runs 3
    # PostgreSQL instead of the scratch SQLite file: --database-url postgres://postgres@127.0.0.1:5432/<scratch db>

Migrates a scratch database (`var/bench/search_socket.sqlite3` unless `--database-url`) and seeds it
with `seed_demo --products 500` (idempotent), then starts the real ASGI server - daphne serving
`config.asgi:application`, as tests/asgi_server.py does - on `--port`, with the base settings
(DEBUG off, the embedded default: local-memory cache, no Redis). One client then times `--rounds`
sequential suggestion round trips each way, warm (every query asked once both ways before timing):

- HTTP: `GET /api/v1/search/suggest/?q=<prefix>` on one kept-alive connection (what a browser's fetch
  does), response read and JSON-decoded;
- socket: `{"q": "<prefix>"}` on one open `/ws/search/`, until its `suggestions` frame is decoded.

The two alternate query by query (HTTP, socket, HTTP, ...) so the shared machine's noise hits both
alike. Prints p50/p99/mean per way and the HTTP/socket ratio, per run and across runs. The frame rate
limit of the socket is lifted for the server (SEARCH_WS_RATE_FRAMES), nothing else changes.

`--crowd N` measures the socket under load instead: N shoppers at once, over `--servers` server
processes (`--server shipped|daphne`, bench/socket_servers.py) on PostgreSQL (`--database-url`,
required) and Redis (`--redis-db`, flushed first: cache and channel layer). Shopper i connects to server
`i % servers` and types `--queries` prefixes, one every `--interval` seconds (start times spread
evenly; a shopper waits for each answer before the next keystroke's timer runs out). Prints connections
refused, queries answered and lost, round trip p50/p99/max, error frames, and the load average.
The handshake limit per client IP is lifted for the run (every client is on 127.0.0.1).
Not a test: figures go to bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import websockets
from websockets.sync.client import connect as websocket_connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.socket_servers import SERVERS, servers_start, servers_stop  # noqa: E402
from bench.stats import count_by_second, percentile  # noqa: E402

QUERIES = ["o", "ox", "oxf", "oxfo", "shi", "shir", "shirt", "jea", "jean", "jack", "dre", "dress",
           "sock", "boo", "boot", "hat", "sca", "scar", "lin", "line", "cot", "cott", "woo", "wool"]  # fmt: skip


def _env(args) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "0", "REDIS_URL": ""}
    env["SEARCH_WS_RATE_FRAMES"] = "1000000"
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        env["DATABASE_URL"] = ""
        env["SQLITE_PATH"] = str(ROOT / "var" / "bench" / "search_socket.sqlite3")
    env["MEDIA_ROOT"] = str(ROOT / "var" / "bench" / "media")
    return env


def _seed(env: dict[str, str], products: int) -> None:
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    started = time.monotonic()
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    subprocess.run([*manage, "seed_demo", "--products", str(products)], cwd=ROOT, env=env, check=True)  # noqa: S603
    print(f"migrate + seed_demo --products {products}: {time.monotonic() - started:.0f} s", flush=True)


def _server(env: dict[str, str], port: int) -> subprocess.Popen:
    log = open(ROOT / "var" / "bench" / f"search-socket-daphne-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"daphne exited; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    sys.exit("daphne did not answer")


class HttpWay:
    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def ask(self, query: str) -> dict:
        self.connection.request(
            "GET", f"/api/v1/search/suggest/?q={quote(query)}", headers={"Accept": "application/json"}
        )
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {body[:200]!r}")
        return json.loads(body)


class SocketWay:
    def __init__(self, port: int) -> None:
        self.socket = websocket_connect(f"ws://127.0.0.1:{port}/ws/search/", max_size=2**22).__enter__()

    def ask(self, query: str) -> dict:
        self.socket.send(json.dumps({"q": query}))
        frame = json.loads(self.socket.recv(timeout=10))
        if frame.get("type") != "suggestions":
            raise RuntimeError(f"socket answered {frame}")
        return frame


def _run(port: int, rounds: int) -> dict[str, list[float]]:
    ways = {"HTTP GET": HttpWay(port), "/ws/search/": SocketWay(port)}
    for query in QUERIES:  # warm: every query once each way (cache, connection, code paths)
        answers = [way.ask(query) for way in ways.values()]
        assert answers[0]["products"] == answers[1]["products"], f"the two ways disagree on {query!r}"
    times: dict[str, list[float]] = {name: [] for name in ways}
    for index in range(rounds):
        query = QUERIES[index % len(QUERIES)]
        order = list(ways.items()) if index % 2 == 0 else list(reversed(ways.items()))
        for name, way in order:
            started = time.perf_counter()
            way.ask(query)
            times[name].append((time.perf_counter() - started) * 1000)
    ways["/ws/search/"].socket.close()
    ways["HTTP GET"].connection.close()
    return times


def _table(times: dict[str, list[float]], title: str) -> tuple[float, float]:
    print(f"\n{title}")
    print("| way          |   n |  p50 ms |  p99 ms | mean ms |")
    print("|--------------|----:|--------:|--------:|--------:|")
    for name, values in times.items():
        print(
            f"| {name:<12} | {len(values):>3} | {percentile(values, 0.5):7.2f} | {percentile(values, 0.99):7.2f} "
            f"| {statistics.fmean(values):7.2f} |"
        )
    http, socket = times["HTTP GET"], times["/ws/search/"]
    p50 = percentile(http, 0.5) / percentile(socket, 0.5)
    p99 = percentile(http, 0.99) / percentile(socket, 0.99)
    print(f"HTTP / socket: p50 {p50:.2f}x, p99 {p99:.2f}x")
    return p50, p99


WORDS = ["oxford", "shirt", "jeans", "jacket", "dress", "socks", "boots", "hat", "scarf", "linen", "cotton",
         "wool", "blue", "black", "white", "green", "red", "grey", "navy", "classic", "slim", "summer",
         "winter", "leather", "denim", "silk", "knit", "coat", "skirt", "shorts", "trainers", "belt"]  # fmt: skip


SLOW_MS = 50  # issue 17's goal for the round trip (p99)


def _crowd_query(client: int, number: int) -> str:
    """What shopper `client` has typed at keystroke `number`: a prefix (2+ letters) of one of the words."""
    word = WORDS[(client * 7 + number // 4) % len(WORDS)]
    return word[: min(len(word), 2 + number % 4)]


async def _crowd_client(args, index: int, results: dict) -> None:
    port = args.port + index % args.servers
    try:
        socket = await websockets.connect(f"ws://127.0.0.1:{port}/ws/search/", open_timeout=30, max_size=2**22)
    except Exception as error:  # noqa: BLE001 - a refused handshake is a result, whatever its kind
        results["refused"].append(f"c{index}: {error!r}"[:200])
        return
    await asyncio.sleep(args.interval * index / args.crowd)  # spread the start times
    try:
        for number in range(args.queries):
            query, started = _crowd_query(index, number), time.perf_counter()
            await socket.send(json.dumps({"q": query}))
            try:
                frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=30))
            except TimeoutError:
                results["lost"] += 1
                continue
            elapsed = time.perf_counter() - started
            if frame.get("type") == "suggestions" and frame.get("q") == query:
                results["times"].append(elapsed * 1000)
                results["sent_at"].append(started - results["start"])
            else:
                results["errors"].append(str(frame)[:200])
            await asyncio.sleep(max(0.0, args.interval - elapsed))
    except websockets.ConnectionClosed as closed:
        results["errors"].append(f"c{index}: closed {closed.rcvd.code if closed.rcvd else None}")
    finally:
        await socket.close()


async def _crowd_run(args) -> dict:
    results = {"refused": [], "times": [], "sent_at": [], "errors": [], "lost": 0, "start": time.perf_counter()}
    await asyncio.gather(*(_crowd_client(args, index, results) for index in range(args.crowd)))
    return results


def _crowd(args, env: dict[str, str]) -> None:
    if not args.database_url:
        sys.exit("--crowd needs --database-url (a scratch PostgreSQL database)")
    env.update({"REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}", "WS_CONNECT_PER_IP_PER_MINUTE": "0",
                "LOG_LEVEL": "WARNING"})  # fmt: skip
    subprocess.run(["redis-cli", "-n", str(args.redis_db), "flushdb"], check=True, capture_output=True)  # noqa: S603,S607
    load_at_start = os.getloadavg()
    processes = servers_start(kind=args.server, first_port=args.port, count=args.servers, env=env, name="search")
    try:
        load_before = os.getloadavg()
        results = asyncio.run(_crowd_run(args))
        load_after = os.getloadavg()
    finally:
        servers_stop(processes)
    times = results["times"]
    distinct = len({_crowd_query(c, n) for c in range(args.crowd) for n in range(args.queries)})
    print(f"\nsearch_socket_bench --crowd: {args.crowd} sockets on /ws/search/, {args.servers} {args.server} "
          f"processes, PostgreSQL + Redis; {args.queries} queries each, one per {args.interval} s "
          f"({distinct} distinct queries, the cache empty at the start)")  # fmt: skip
    print(f"connections refused: {len(results['refused'])} of {args.crowd}")
    for line in results["refused"][:5]:
        print(f"  {line}")
    print(f"queries answered: {len(times)}, lost (no answer in 30 s): {results['lost']}")
    if times:
        print("| round trip | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|")
        print(f"| /ws/search/ | {percentile(times, 0.5):.1f} | {percentile(times, 0.99):.1f} | {max(times):.1f} |")
    slow = [int(at) for at, took in zip(results["sent_at"], times, strict=True) if took > SLOW_MS]
    print(f"round trips over {SLOW_MS} ms: {len(slow)}, by second of the run when asked: {count_by_second(slow)}")
    print(f"error frames/closes: {len(results['errors'])}")
    for line in results["errors"][:5]:
        print(f"  {line}")
    print(f"load average (1 min) when the script started: {load_at_start[0]:.2f}; after the servers started: "
          f"{load_before[0]:.2f}; after the run: {load_after[0]:.2f}")  # fmt: skip
    if load_at_start[0] > 1.0:
        print("WARNING: the machine was busy before the bench started; these figures are noisy.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8331)
    parser.add_argument("--rounds", type=int, default=300, help="Timed round trips per way and run.")
    parser.add_argument("--runs", type=int, default=3, help="Runs on the same server (for the spread).")
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--database-url", default="", help="A scratch PostgreSQL database instead of SQLite.")
    parser.add_argument("--no-seed", action="store_true", help="The database is migrated and seeded already.")
    parser.add_argument("--crowd", type=int, default=0, help="Shoppers at once (0: the side-by-side mode).")
    parser.add_argument("--servers", type=int, default=2, help="--crowd: server processes, one per port.")
    parser.add_argument("--server", choices=SERVERS, default="shipped", help="--crowd: shipped or daphne.")
    parser.add_argument("--queries", type=int, default=10, help="--crowd: queries per shopper.")
    parser.add_argument("--interval", type=float, default=1.0, help="--crowd: seconds between a shopper's queries.")
    parser.add_argument("--redis-db", type=int, default=12, help="--crowd: Redis DB number (flushed).")
    args = parser.parse_args()

    env = _env(args)
    if not args.no_seed:
        _seed(env, args.products)
    if args.crowd:
        _crowd(args, env)
        return
    with open("/proc/loadavg") as loadavg:
        print(f"load average before: {loadavg.read().split()[:3]}")
    server = _server(env, args.port)
    try:
        ratios = [_table(_run(args.port, args.rounds), f"run {run + 1} of {args.runs}") for run in range(args.runs)]
    finally:
        server.terminate()
        server.wait(timeout=10)
    p50s = [ratio[0] for ratio in ratios]
    p99s = [ratio[1] for ratio in ratios]
    spread = f"p50 {min(p50s):.2f}-{max(p50s):.2f}x, p99 {min(p99s):.2f}-{max(p99s):.2f}x"
    print(f"\nHTTP/socket ratio over {args.runs} runs: {spread}")


if __name__ == "__main__":
    main()
