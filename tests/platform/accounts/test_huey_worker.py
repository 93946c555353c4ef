"""The welcome email through a real huey worker: `manage.py run_huey` on Redis, as in production."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from tests.asgi_server import ROOT, database_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


def _env(redis_url: str, mail_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        **database_env(),
        "REDIS_URL": redis_url,
        "HUEY_MODE": "redis",
        "HUEY_IMMEDIATE": "0",
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "TEST_EMAIL_FILE_PATH": str(mail_dir),
    }


def test_run_huey_worker_sends_the_welcome_email(user, redis_server, tmp_path):
    connection.close()  # the worker and the enqueuing process open their own connections
    env = _env(redis_server.url, tmp_path)
    enqueue = subprocess.run(  # noqa: S603 - enqueue exactly as the app does, in another process
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         f"from accounts.services import welcome_email_schedule; welcome_email_schedule(user_id={user.pk})"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert enqueue.returncode == 0, enqueue.stderr
    assert list(tmp_path.iterdir()) == []  # queued, not sent: no worker yet

    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "run_huey", "--workers", "1"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(tmp_path.iterdir()):
            time.sleep(0.2)
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=20)
    sent = [path.read_text() for path in tmp_path.iterdir()]
    assert len(sent) == 1, output[-2000:]
    assert "Subject: Welcome to Hypex" in sent[0] and user.email in sent[0]
    # The delivery task returned something, and nothing reads task results: none is kept in Redis (the
    # task monitor's own records live under `<queue>_monitor`).
    client = redis.Redis.from_url(redis_server.url)
    kept = {key: client.hlen(key) for key in client.scan_iter(match="huey.results.*")}
    assert {key: n for key, n in kept.items() if not key.endswith(b"_monitor")} == {}
