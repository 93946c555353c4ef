"""A huey worker killed (`kill -9`) while it sends confirmation emails loses none and sends none twice:
the outbox keeps every message until it is marked delivered, and the next worker's relay sends what the
dead one had taken off the Redis queue (ADR 0024). A real `manage.py run_huey` on a private Redis, a
slow mail backend writing files, orders placed through the HTTP API."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest
from django.db import connection
from rest_framework.test import APIClient

from sideeffects.models import OutboxMessage
from tests.checkout.conftest import add_line, checkout_body
from tests.conftest import auth_header
from tests.huey_worker import HueyWorker, wait_until
from tests.outbox_mail import huey_on, mails_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.redis,
    pytest.mark.usefixtures("shipping_methods", "dummy_payments"),
]
# Each send sleeps this long after writing its marker. The kill must land before the last of the three
# sends ends: about 3 s after the first marker on SQLite (one writer: the sends run one after another),
# 2 s on PostgreSQL (two worker threads). The test waits on the marker, polling every 0.1 s.
MAIL_DELAY_SECONDS = 1


def _worker(redis_url: str, mail_dir: Path, log: Path) -> HueyWorker:
    env = {
        "TEST_EMAIL_BACKEND": "tests.outbox_mail.SlowFileBackend",
        "TEST_EMAIL_FILE_PATH": str(mail_dir),
        "OUTBOX_TEST_MAIL_DELAY": str(MAIL_DELAY_SECONDS),
    }
    return HueyWorker(redis_url=redis_url, log=log, env=env).start()


def test_killing_the_worker_mid_send_loses_no_confirmation_and_doubles_none(user, make_product, redis_server, tmp_path):
    mail_dir, log = tmp_path / "mail", tmp_path / "worker.log"
    mail_dir.mkdir()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=auth_header(user)["HTTP_AUTHORIZATION"])
    products = [make_product(title=f"Thing {n}") for n in range(3)]
    connection.close()  # the worker opens its own connections to the test database

    first = _worker(redis_server.url, mail_dir, log)
    second = None
    try:
        numbers = []
        with huey_on(redis_server.url):  # this process enqueues on the worker's Redis
            for product in products:
                assert add_line(client, product, 1).status_code == 201
                response = client.post("/api/v1/checkout/", checkout_body(), format="json")
                assert response.status_code == 201, response.content
                numbers.append(response.json()["order"]["number"])
        connection.close()

        # The first worker is sending (a marker is written before the slow send); kill it mid-send.
        assert wait_until(lambda: any((mail_dir / "sending").glob("*")), 60), first.log_tail()
        os.kill(first.pid, signal.SIGKILL)
        first.process.wait(timeout=10)
        lost_in_flight = 3 - len(mails_in(mail_dir))
        assert lost_in_flight >= 1  # the kill did catch work in flight

        second = _worker(redis_server.url, mail_dir, log)
        assert wait_until(lambda: len(mails_in(mail_dir)) >= 3, 90), first.log_tail()
        time.sleep(2 * MAIL_DELAY_SECONDS + 1)  # a duplicate would have arrived by now
    finally:
        first.stop()
        if second is not None:
            second.stop()

    mails = mails_in(mail_dir)
    subjects = sorted(re.search(r"^Subject: (.*)$", text, re.MULTILINE).group(1) for text in mails)
    assert subjects == sorted(f"Your Hypex order {number}" for number in numbers), first.log_tail()
    confirmations = OutboxMessage.objects.filter(topic="order.notify", payload__kind="confirmation")
    assert sorted(confirmations.values_list("status", flat=True)) == ["delivered"] * 3
