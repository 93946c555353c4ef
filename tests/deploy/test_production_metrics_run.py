"""A production-shaped run: two daphne processes behind the project's nginx, two huey workers,
PostgreSQL and Redis, all on production settings and one PROMETHEUS_MULTIPROC_DIR. A scripted shopper
places guest orders through the API and pays (or declines) on the dummy gateway's page, a guest chats
with an agent over websockets; then `/metrics` is scraped from every process and the totals must add up
with each other, with the database, with what the shopper did, and with nginx's own access log.

Each process's own share is read from its files in the multiprocess directory (`<kind>_<pid>.db`), so
the run also shows which process did what; `-s` prints the table.
"""

from __future__ import annotations

import glob
import http.client
import math
import os
import secrets
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.urls import resolve
from oscar.core.loading import get_model
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from sideeffects.models import OutboxMessage
from tests.asgi_server import ROOT, AsgiServer, _free_port, database_env
from tests.deploy.shopper import ShopperLog, orders_place, support_chat
from tests.huey_worker import HueyWorker, wait_until
from tests.metrics import Scrape
from tests.nginx_proxy import NginxProxy, nginx_binary

Order = get_model("order", "Order")
PaymentAttempt = get_model("payment", "PaymentAttempt")

_database_url = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.skipif(
        not _database_url.startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL=postgres://...)"
    ),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)"),
    pytest.mark.skipif(nginx_binary() is None, reason="needs nginx (scripts/install-system-deps installs it)"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ORDERS = 6
DECLINED = {1, 4}  # the shopper declines these orders on the pay page; the others are approved
AGENT_EMAIL, AGENT_PASSWORD = "agent@example.com", "a-long-agent-passphrase"


# --- the production-shaped stack ------------------------------------------------------------------


@dataclass
class Stack:
    folder: Path
    token: str
    daphnes: list[AsgiServer]
    workers: list[HueyWorker]
    worker_ports: list[int]
    nginx: NginxProxy
    started_in: float = 0.0

    @property
    def metrics_dir(self) -> Path:
        return self.folder / "metrics"


def _production_env(folder: Path, token: str, redis_url: str, namespace: str) -> dict[str, str]:
    """What a deployment gives every process (docs/OPERATIONS.md), pointed at the test's database,
    Redis database (own key prefixes, so nothing else on it is touched) and folders."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("MEDIA_", "AWS_", "OTEL_", "METRICS_"))}
    return {
        **inherited,
        **database_env(),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",  # no TLS on loopback; nginx still sets X-Forwarded-Proto
        "TRUSTED_PROXY_COUNT": "1",  # behind the one nginx
        "PAYMENT_DUMMY_GATEWAY_ENABLED": "true",
        "METRICS_TOKEN": token,
        "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics"),
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_STORAGE": "filesystem",
        "MEDIA_ROOT": str(folder / "media"),
        "REDIS_URL": redis_url,
        "HUEY_MODE": "redis",
        "HUEY_NAME": f"{namespace}-tasks",
        "CACHE_KEY_PREFIX": f"{namespace}-cache",
        "CHANNELS_PREFIX": f"{namespace}-channels",
        "DATABASE_POOL_MIN_SIZE": "1",
    }


def _redis_forget(redis_url: str, namespace: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"*{namespace}*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _get(port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def stack(tmp_path):
    """Start everything; stop every process it started, whatever happens (also if starting fails)."""
    started = time.monotonic()
    token = secrets.token_urlsafe(24)
    namespace = f"hypex-prodrun-{secrets.token_hex(4)}"
    redis_url = os.environ["REDIS_URL"]
    (tmp_path / "metrics").mkdir()
    env = _production_env(tmp_path, token, redis_url, namespace)
    cleanups = []
    try:
        # collectstatic (the manifest the production static storage needs to render a page) runs beside
        # the workers' start; the web processes start once it is done.
        collect_env = {k: v for k, v in env.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
        collect = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT, env=collect_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        cleanups.append(lambda: collect.poll() is None and (collect.kill(), collect.wait()))
        worker_ports = [_free_port(), _free_port()]
        workers = []
        for number, port in enumerate(worker_ports, start=1):
            # As deployed: the first worker also runs the periodic tasks (the scheduler), the second not.
            worker = HueyWorker(
                redis_url=redis_url,
                log=tmp_path / f"worker-{number}.log",
                env={**env, "METRICS_PORT": str(port)},
                args=() if number == 1 else ("--no-periodic",),
            )
            cleanups.append(worker.stop)
            workers.append(worker.start())
        _, errors = collect.communicate(timeout=120)
        assert collect.returncode == 0, errors.decode()[-2000:]
        daphnes = [AsgiServer(env=env), AsgiServer(env=env)]
        for daphne in daphnes:
            cleanups.append(daphne.stop)
            daphne.launch()
        for daphne in daphnes:
            daphne.wait_ready(timeout=90)
        for worker, port in zip(workers, worker_ports, strict=True):
            assert wait_until(lambda port=port: _metrics_answers(port, token), timeout=60), (
                f"worker metrics port {port} silent: {worker.log_tail()}"
            )
        nginx = NginxProxy(
            upstream_ports=[d.port for d in daphnes],
            static_root=tmp_path / "static",
            media_root=tmp_path / "media",
            folder=tmp_path / "nginx",
        )
        cleanups.append(nginx.stop)
        nginx.start()
        yield Stack(tmp_path, token, daphnes, workers, worker_ports, nginx, time.monotonic() - started)
    finally:
        # Every process stops at once (each waits up to its own deadline, then is killed).
        with ThreadPoolExecutor(max_workers=len(cleanups) or 1) as pool:
            outcomes = [pool.submit(cleanup) for cleanup in cleanups]
        _redis_forget(redis_url, namespace)
        for outcome in outcomes:
            outcome.result()


def _metrics_answers(port: int, token: str) -> bool:
    try:
        return _get(port, "/metrics", {"Authorization": f"Bearer {token}"}, timeout=2)[0] == 200
    except OSError:
        return False


# --- reading the processes --------------------------------------------------------------------------


class _Files:
    def __init__(self, files: list[str]):
        self.files = files

    def collect(self):
        return MultiProcessCollector.merge(self.files, accumulate=True)


def own_share(metrics_dir: Path, pid: int) -> Scrape:
    """What one process wrote itself: its own files in the multiprocess directory."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Files(glob.glob(str(metrics_dir / f"*_{pid}.db"))))
    return Scrape(generate_latest(registry).decode())


def _scrape(port: int, token: str) -> Scrape:
    status, body = _get(port, "/metrics", {"Authorization": f"Bearer {token}"})
    assert status == 200, body[:300]
    return Scrape(body.decode())


def _summed(scrape: Scrape, names: set[str]) -> dict:
    """The samples named in `names`: those a worker's port reports, i.e. the sums of the processes'
    files (the scrape-time families, from the database, Redis or the scraped process's own pool, are
    left out there)."""
    return {key: value for key, value in scrape.samples.items() if key[0] in names}


# A web process's scrape runs the /readyz probes (hypex_dependency_up), whose cache probe reads through the
# counting cache: each web scrape adds a cache hit after its own files were read, so scrapes taken one
# after the other differ there by design.
MOVED_BY_SCRAPING = {"hypex_cache_requests_total"}


def _file_sample_names(worker_scrape: Scrape) -> set[str]:
    return {
        name for name, _labels in worker_scrape.samples if name.startswith("hypex_") and name not in MOVED_BY_SCRAPING
    }


def _differences(a: dict, b: dict) -> list:
    """The samples whose values differ (or that one side lacks); empty when they agree."""
    return sorted(
        (key[0], sorted(key[1]), a.get(key), b.get(key))
        for key in a.keys() | b.keys()
        if key not in a or key not in b or not math.isclose(a[key], b[key], rel_tol=1e-9, abs_tol=1e-9)
    )


def _same(a: dict, b: dict) -> bool:
    return not _differences(a, b)


def _scrape_all_alike(stack: Stack, timeout: float = 15) -> list[Scrape]:
    """A scrape of every process whose sums agree (a periodic task may finish between two scrapes:
    then scrape all again)."""
    deadline = time.monotonic() + timeout
    while True:
        ports = [d.port for d in stack.daphnes] + stack.worker_ports
        scrapes = [_scrape(port, stack.token) for port in ports]
        names = _file_sample_names(scrapes[-1])
        alike = all(_same(_summed(scrapes[0], names), _summed(other, names)) for other in scrapes[1:])
        if alike or time.monotonic() > deadline:
            return scrapes
        time.sleep(0.3)


# --- the run ----------------------------------------------------------------------------------------


@pytest.fixture
def shop(make_product, shipping_methods):
    agent = get_user_model().objects.create_superuser(email=AGENT_EMAIL, password=None, first_name="Alex")
    # Hashed as production hashes (the test settings' MD5 hasher is unknown to the servers).
    agent.password = make_password(AGENT_PASSWORD, hasher=PBKDF2PasswordHasher())
    agent.save(update_fields=["password"])
    return [make_product(title=f"Linen Shirt {n}", price="25.00", stock=50) for n in range(3)]


def test_a_production_shaped_run_adds_up_on_every_process(shop, stack):
    # Given two daphnes behind nginx and two huey workers sharing one multiprocess directory
    shopper_started = time.monotonic()
    log = ShopperLog()

    # When a shopper places guest orders through nginx, paying some and declining others, and a guest
    # chats with an agent over websockets
    orders_place(stack.nginx.port, shop, log, orders=ORDERS, declined=DECLINED)
    support_chat(stack.nginx.port, log, agent_email=AGENT_EMAIL, agent_password=AGENT_PASSWORD)

    # Then every outbox message gets delivered by the workers
    assert wait_until(lambda: not OutboxMessage.objects.exclude(status="delivered").exists(), timeout=30), list(
        OutboxMessage.objects.exclude(status="delivered").values_list("topic", "status", "attempts")
    )
    delivered = OutboxMessage.objects.filter(status="delivered").count()
    task_runs = lambda scrape: scrape.value("hypex_task_runs_total", task="outbox_deliver", outcome="success")  # noqa: E731
    assert wait_until(lambda: task_runs(_scrape(stack.worker_ports[0], stack.token)) >= delivered, timeout=15)
    web = stack.daphnes[0]
    assert wait_until(  # the sockets' ends reach the servers
        lambda: _scrape(web.port, stack.token).total("hypex_websocket_connections") == 0, timeout=10
    )
    shopper_took = time.monotonic() - shopper_started

    # ... and every process reports the same sums
    scrapes = _scrape_all_alike(stack)
    names = ["daphne-1", "daphne-2", "worker-1", "worker-2"]
    summed_names = _file_sample_names(scrapes[-1])
    for name, scrape in zip(names[1:], scrapes[1:], strict=True):
        differences = _differences(_summed(scrape, summed_names), _summed(scrapes[0], summed_names))
        assert not differences, f"{name} reports other sums than daphne-1: {differences}"
    totals = scrapes[0]
    pids = [d.pid for d in stack.daphnes] + [w.pid for w in stack.workers]
    shares = [own_share(stack.metrics_dir, pid) for pid in pids]

    checkout_route = resolve("/api/v1/checkout/").view_name
    support_route = next(
        labels["route"] for (sample, frozen) in totals.samples
        if sample == "hypex_websocket_frames_total" and (labels := dict(frozen))["route"].startswith("/ws/support/<")
    )  # fmt: skip
    columns = {
        "checkout POST": lambda s: s.total("hypex_http_requests_total", route=checkout_route, method="POST"),
        "orders": lambda s: s.total("hypex_orders_placed_total"),
        "paid": lambda s: s.value("hypex_payments_total", gateway="dummy", outcome="paid"),
        "failed": lambda s: s.value("hypex_payments_total", gateway="dummy", outcome="failed"),
        "outbox_deliver ok": task_runs,
        "ws frames in": lambda s: s.value("hypex_websocket_frames_total", route=support_route, direction="received"),
        "1st reply": lambda s: s.value("hypex_support_first_response_seconds_count"),
        "HTTP reqs": lambda s: s.total("hypex_http_requests_total"),
    }
    upstream = stack.nginx.upstream_counts()
    rows = [(f"{name} own files", pid, share) for name, pid, share in zip(names, pids, shares, strict=True)]
    header = f"{'':26}{'pid':>8}" + "".join(f"{title:>19}" for title in columns) + f"{'via nginx':>11}"
    lines = [header]
    for label, pid, scrape in rows:
        via = upstream.get(f"127.0.0.1:{stack.daphnes[pids.index(pid)].port}", 0) if pid in pids[:2] else "-"
        lines.append(f"{label:26}{pid:>8}" + "".join(f"{get(scrape):>19g}" for get in columns.values()) + f"{via:>11}")
    sum_of_shares = {title: sum(get(share) for share in shares) for title, get in columns.items()}
    lines.append(f"{'sum of own files':34}" + "".join(f"{v:>19g}" for v in sum_of_shares.values()))
    for name, scrape in zip(names, scrapes, strict=True):
        lines.append(f"{name + ' /metrics':34}" + "".join(f"{get(scrape):>19g}" for get in columns.values()))
    print("\n" + "\n".join(lines))
    paid_orders = Order.objects.filter(status="Paid").count()
    print(
        f"database: {Order.objects.count()} orders, {paid_orders} paid, "
        f"{PaymentAttempt.objects.filter(status='failed').count()} declined attempts, {delivered} outbox messages "
        f"delivered; shopper made {log.checkout_posts} checkout POSTs, sent {log.frames_sent} websocket frames. "
        f"Stack up in {stack.started_in:.1f}s, shopping and delivery {shopper_took:.1f}s."
    )

    # The sums each process reports are the sums of what each process wrote
    for title, get in columns.items():
        assert get(totals) == pytest.approx(sum_of_shares[title]), title
    # ... and they add up with the database and with what the shopper did
    assert totals.total("hypex_orders_placed_total") == Order.objects.count() == ORDERS
    assert totals.value("hypex_payments_total", gateway="dummy", outcome="paid") == paid_orders == log.paid
    assert totals.value("hypex_payments_total", gateway="dummy", outcome="failed") == log.declined == len(DECLINED)
    assert columns["checkout POST"](totals) == log.checkout_posts == ORDERS
    basket_route = resolve("/api/v1/basket/lines/").view_name
    assert totals.total("hypex_http_requests_total", route=basket_route, method="POST") == log.basket_posts
    assert task_runs(totals) >= delivered > 0
    assert scrapes[0].value("hypex_outbox_messages", status="pending") == 0
    assert scrapes[1].value("hypex_outbox_messages", status="pending") == 0
    assert columns["ws frames in"](totals) == log.frames_sent
    assert totals.value("hypex_support_first_response_seconds_count") == 1
    # Both web processes served the shopper, and nginx's log agrees with each one's own count
    for daphne, share in zip(stack.daphnes, shares[:2], strict=True):
        proxied_checkouts = stack.nginx.upstream_counts("POST", "/api/v1/checkout/").get(f"127.0.0.1:{daphne.port}", 0)
        assert columns["checkout POST"](share) == proxied_checkouts
        assert upstream.get(f"127.0.0.1:{daphne.port}", 0) > 0
    # The orders' side work ran on the workers, not the web processes
    assert sum(task_runs(share) for share in shares[2:]) == task_runs(totals)

    # /metrics is read only from the processes themselves, with the token
    token = {"Authorization": f"Bearer {stack.token}"}
    for daphne in stack.daphnes:
        assert _get(daphne.port, "/metrics", token)[0] == 200
        assert _get(daphne.port, "/metrics")[0] == 404  # production: no token, no allowed networks
    for port in stack.worker_ports:
        assert _get(port, "/metrics", token)[0] == 200
        assert _get(port, "/metrics")[0] == 404
    # nginx answers /metrics itself, token or not: it never reaches a web process
    status, body = _get(stack.nginx.port, "/metrics", token)
    assert status == 404 and b"<center>nginx</center>" in body
    # nginx writes its access line after the response has left (the log phase): wait for it.
    assert wait_until(lambda: stack.nginx.upstream_counts("GET", "/metrics") == {"-": 1}, timeout=5), (
        stack.nginx.upstream_counts("GET", "/metrics")
    )
