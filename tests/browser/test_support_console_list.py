"""The agent console's list of conversations is usable from the moment the page is drawn: each item is a
link to `?conversation=<id>`, so a click before the console's socket brought its live list (or before the
script ran at all) still opens the conversation. A click on an item the page was served with did nothing
until the live list replaced it (a CI run lost one)."""

import pytest
from django.contrib.auth import get_user_model

from support import services
from tests.browser.console import agent_create, console_open

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def conversation():
    shopper = get_user_model().objects.create_user(email="sam@example.com", password="correct-horse-battery-staple")
    return services.conversation_start(customer=shopper, subject="Linen sizes", body="Does it run small?")


def test_a_conversation_clicked_before_the_live_list_arrived_opens(browser, asgi_server, conversation):
    agent_create()
    agent = browser.new_context(base_url=asgi_server.url).new_page()
    agent.set_default_timeout(30_000)
    held = []
    # The console's own socket is held in the browser: no snapshot ever comes, the list stays as served.
    agent.route_web_socket("**/ws/support/agents/", lambda socket: held.append(socket))
    console_open(agent)

    agent.locator("#agent-console-conversations li", has_text="Linen sizes").click()

    agent.locator("#agent-console-log").get_by_text("Does it run small?").wait_for()
    assert agent.url.endswith(f"/admin/support/console/?conversation={conversation.pk}")  # a reload opens it again
    assert held, "the console did not open its socket"
    agent.context.close()


def test_without_the_script_an_item_is_a_link_to_its_conversation(browser, asgi_server, conversation):
    agent_create()
    agent = browser.new_context(base_url=asgi_server.url).new_page()
    agent.set_default_timeout(30_000)
    agent.route("**/agent-console.js", lambda route: route.abort())  # not loaded yet, or not at all
    console_open(agent)

    agent.locator("#agent-console-conversations li", has_text="Linen sizes").click()

    agent.wait_for_url(f"**/admin/support/console/?conversation={conversation.pk}")
    agent.context.close()


@pytest.mark.parametrize("wanted", ["abc", "1e3", "-1", "0"])
def test_a_conversation_parameter_that_is_not_an_id_opens_nothing(browser, asgi_server, conversation, wanted):
    agent_create()
    agent = browser.new_context(base_url=asgi_server.url).new_page()
    agent.set_default_timeout(30_000)
    sockets = []
    agent.on("websocket", lambda socket: sockets.append(socket.url))
    console_open(agent)
    agent.goto(f"/admin/support/console/?conversation={wanted}")
    agent.locator("#agent-console-conversations li", has_text="Linen sizes").wait_for()  # the live list came

    agent.wait_for_timeout(600)  # past the 300 ms after which a wanted conversation opens

    assert agent.locator("#agent-console-subject").inner_text() == "Pick a conversation"
    assert [url for url in sockets if "/ws/support/agents/" not in url] == []
    agent.context.close()
