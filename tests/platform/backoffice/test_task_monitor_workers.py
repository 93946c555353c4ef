"""Workers seen: a real `manage.py run_huey` (on Redis, and on SQLite) writes a heartbeat the monitor
shows; killed, it turns "gone" after three missed beats; stopped cleanly, it leaves the list."""

from __future__ import annotations

import os
import re
import signal

import pytest
from django.db import connection
from huey import RedisHuey, SqliteHuey
from huey.contrib import djhuey

from backoffice.task_activity import task_activity_install
from tests.huey_worker import HueyWorker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/admin/tasks/"


@pytest.fixture(params=["redis", "sqlite"])
def queue(request, tmp_path, settings, monkeypatch):
    """This process's huey on the same storage and queue name as the workers the test starts."""
    env = {"TASK_MONITOR_HEARTBEAT_SECONDS": "1"}
    settings.TASK_MONITOR_HEARTBEAT_SECONDS = 1
    if request.param == "redis":
        server = request.getfixturevalue("redis_server")
        instance, redis_url = RedisHuey(name=settings.HUEY["name"], url=server.url, immediate=False), server.url
    else:
        path = str(tmp_path / "huey.sqlite3")
        instance, redis_url = SqliteHuey(name=settings.HUEY["name"], filename=path, immediate=False), ""
        env.update({"HUEY_MODE": "sqlite", "HUEY_SQLITE_PATH": path})
    task_activity_install(instance)
    monkeypatch.setattr(djhuey, "HUEY", instance)
    yield instance, redis_url, env
    instance.flush()


def _worker_row(html: str, pid: int) -> str:
    match = re.search(rf'<tr data-worker="[^"]*:{pid}">(.*?)</tr>', html, re.DOTALL)
    return match.group(1) if match else ""


def test_a_worker_beats_then_shows_gone_when_killed_and_leaves_when_stopped(client, staff_user, queue, tmp_path):
    huey, redis_url, env = queue
    client.force_login(staff_user)
    html = client.get(URL).content.decode()
    assert "No worker has sent a heartbeat" in html and "None is live" in html
    connection.close()  # the workers open their own connections to the test database

    # Both workers start at once (each takes seconds to start): one is killed, the other stopped cleanly.
    killed = HueyWorker(redis_url=redis_url, log=tmp_path / "w1.log", env=env, workers=3).start()
    stopped = HueyWorker(redis_url=redis_url, log=tmp_path / "w2.log", env=env, workers=1).start()
    try:
        page = lambda: client.get(URL).content.decode()  # noqa: E731 - a whole admin page: polled every 0.5 s
        both_alive = lambda html: all("alive" in _worker_row(html, w.pid) for w in (killed, stopped))  # noqa: E731
        assert wait_until(lambda: both_alive(page()), 60, every=0.5), killed.log_tail() + stopped.log_tail()
        row = _worker_row(page(), killed.pid)
        assert "3 threads" in row and "<td>on</td>" in row
        assert "2 live workers have periodic tasks on" in page()

        os.kill(killed.pid, signal.SIGKILL)
        killed.process.wait(timeout=10)
        assert wait_until(lambda: ">gone<" in _worker_row(page(), killed.pid), 15, every=0.5)
        html = page()
        assert "alive" in _worker_row(html, stopped.pid)
        assert "1 live worker has periodic tasks on" in html  # the gone worker is not counted

        stopped_pid = stopped.pid
        stopped.stop()  # SIGTERM: huey stops, the heartbeat removes its record
        html = page()
        assert _worker_row(html, stopped_pid) == "" and ">gone<" in _worker_row(html, killed.pid)
        assert "None is live" in html
    finally:
        killed.stop()
        stopped.stop()


@pytest.mark.django_db
def test_a_killed_workers_running_task_is_flagged_and_expired_workers_are_removed(client, staff_user, queue, settings):
    """Records as a killed worker leaves them; then the expiry removes the worker and its running task."""
    import datetime as dt

    from backoffice import task_activity

    huey, _, _ = queue
    long_ago = (task_activity.utcnow() - dt.timedelta(seconds=30)).isoformat()
    worker = {"id": "shop-1:4242", "host": "shop-1", "pid": 4242, "workers": 2, "worker_type": "thread",
              "periodic": True, "started_at": long_ago, "last_beat": long_ago}  # fmt: skip
    task_activity._put(huey, "worker:shop-1:4242", worker)
    running = {"id": "abc", "name": "scheduled_content_publish", "worker": "shop-1:4242", "thread": "Worker-1",
               "started_at": long_ago}  # fmt: skip
    task_activity._put(huey, "running:abc", running)
    client.force_login(staff_user)

    html = client.get(URL).content.decode()
    assert "worker gone: this run was most likely lost" in html and ">gone<" in _worker_row(html, 4242)

    settings.TASK_MONITOR_WORKER_EXPIRY_SECONDS = 20
    assert task_activity.workers_expired_remove(huey) == 1
    html = client.get(URL).content.decode()
    assert _worker_row(html, 4242) == "" and "Nothing is running." in html
