"""Parallel test workers (pytest-xdist) do not see each other's data: each has its own test database,
and in a shared Redis its own cache keys, channel groups and task queue, which `cache.clear()` in
another worker leaves alone (ADR 0030)."""

import asyncio
import json
import os
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.utils.module_loading import import_string
from huey import RedisHuey

from tests.asgi_server import ROOT, database_env


def _worker_settings(worker: str, redis_url: str) -> dict:
    """The test settings as worker `worker` computes them, in a fresh interpreter."""
    code = (
        "import json; from config.settings import test as s;"
        "print(json.dumps({'cache': s.CACHES['default'], 'channels': s.CHANNEL_LAYERS['default'],"
        " 'huey': s.HUEY['name'], 'mail': s.EMAIL_FILE_PATH}))"
    )
    env = {**os.environ, "PYTEST_XDIST_WORKER": worker, "REDIS_URL": redis_url}
    result = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _noop() -> None:
    return None


@pytest.mark.redis
def test_a_worker_clearing_its_cache_leaves_the_other_workers_cache_groups_and_queue(redis_server):
    gw0, gw1 = _worker_settings("gw0", redis_server.url), _worker_settings("gw1", redis_server.url)
    assert gw0["mail"] != gw1["mail"]
    layers = {name: import_string(conf["channels"]["BACKEND"])(**conf["channels"]["CONFIG"])
              for name, conf in (("gw0", gw0), ("gw1", gw1))}  # fmt: skip
    queues = {name: RedisHuey(conf["huey"], url=redis_server.url) for name, conf in (("gw0", gw0), ("gw1", gw1))}
    with override_settings(CACHES={"gw0": gw0["cache"], "gw1": gw1["cache"]}):
        for name in ("gw0", "gw1"):
            caches[name].set("catalogue:version", name)
            queues[name].task(name="noop")(_noop)()  # enqueued: no consumer runs it
        assert caches["gw0"].get("catalogue:version") == "gw0"
        assert caches["gw1"].get("catalogue:version") == "gw1"

        caches["gw0"].clear()

        assert caches["gw0"].get("catalogue:version") is None
        assert caches["gw1"].get("catalogue:version") == "gw1"
    for name in ("gw0", "gw1"):
        assert queues[name].pending_count() == 1, name
    assert asyncio.run(_group_messages_each_worker_hears(layers)) == {"gw0": ["gw0"], "gw1": ["gw1"]}


async def _group_messages_each_worker_hears(layers: dict) -> dict[str, list[str]]:
    """Both workers' sockets join group "support.1" and each worker sends to it: what each socket hears."""
    sockets = {name: await layer.new_channel() for name, layer in layers.items()}
    for name, layer in layers.items():
        await layer.group_add("support.1", sockets[name])
    for name, layer in layers.items():
        await layer.group_send("support.1", {"type": "chat.message", "sender": name})
    heard: dict[str, list[str]] = {}
    for name, layer in layers.items():
        heard[name] = []
        while True:
            try:
                message = await asyncio.wait_for(layer.receive(sockets[name]), timeout=0.5)
            except TimeoutError:
                break
            heard[name].append(message["sender"])
        await layer.flush()
    return heard


@pytest.mark.django_db
def test_this_worker_and_the_servers_it_starts_use_its_own_test_database():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        pytest.skip("the suite is not running in xdist workers (make test runs it so)")
    name = str(connection.settings_dict["NAME"])
    assert name.endswith(f"_{worker}")
    server_env = database_env()
    assert (server_env["DATABASE_URL"] or server_env["SQLITE_PATH"]).endswith(f"/{os.path.basename(name)}")
