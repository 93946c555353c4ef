"""The agent's open conversation survives its server going away (a deploy replaces the worker): the
console opens the conversation's socket again and shows the message the shopper sent meanwhile."""

import json
import os
import signal
import time
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from rest_framework_simplejwt.tokens import AccessToken

from support import services
from tests.asgi_server import AsgiServer
from tests.browser.console import agent_create, console_open

pytestmark = pytest.mark.django_db(transaction=True)


def _worker_replaced(server: AsgiServer, old_worker: int, timeout: float = 30) -> None:
    """Wait until gunicorn has a new worker in place of the killed one and it answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = server.worker_pids()
        if workers and old_worker not in workers:
            try:
                with urllib.request.urlopen(f"{server.url}/healthz", timeout=2):  # noqa: S310 - loopback test server
                    return
            except OSError:
                pass
        time.sleep(0.1)
    raise AssertionError("gunicorn did not replace the killed worker")


def test_the_agents_open_conversation_reconnects_and_shows_what_it_missed(browser, asgi_server):
    users = get_user_model().objects
    shopper = users.create_user(email="sam@example.com", password="correct-horse-battery-staple")
    conversation = services.conversation_start(customer=shopper, subject="Linen sizes", body="Does it run small?")
    agent_create()

    agent = browser.new_context(base_url=asgi_server.url).new_page()
    agent.set_default_timeout(30_000)
    console_open(agent)
    agent.locator("#agent-console-conversations li", has_text="Linen sizes").click()
    agent.locator("#agent-console-log").get_by_text("Does it run small?").wait_for()

    worker = asgi_server.pid
    os.kill(worker, signal.SIGKILL)  # every socket of the worker drops, as in a deploy
    _worker_replaced(asgi_server, worker)
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{asgi_server.url}/api/v1/support/conversations/{conversation.pk}/messages/",
        data=json.dumps({"body": "Sorry, one more: is it lined?"}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {AccessToken.for_user(shopper)}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 201

    agent.locator("#agent-console-log").get_by_text("Sorry, one more: is it lined?").wait_for()
    assert agent.locator("#agent-console-log").get_by_text("Does it run small?").count() == 1  # not shown twice
