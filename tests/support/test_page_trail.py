"""Where the shopper is now: the widget's socket reports pages, the console hears them live, hostile
values and an agent's reports are refused, and only the last 20 pages are kept."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from support.models import PAGE_TRAIL_LENGTH, PageVisit
from tests.conftest import auth_header
from tests.support.conftest import connect_with_token, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


def _path(conversation) -> str:
    return f"/ws/support/{conversation.pk}/"


async def _visits(conversation) -> list[tuple[str, str]]:
    return await database_sync_to_async(
        lambda: list(PageVisit.objects.filter(conversation=conversation).order_by("-id").values_list("url", "title"))
    )()


async def test_the_shoppers_pages_reach_the_agent_live_with_the_trail(user, agent, conversation):
    shopper, _, _ = await connect_with_token(user, _path(conversation))
    console, _, _ = await connect_with_token(agent, _path(conversation))
    await receive_until(shopper, "history")
    await receive_until(console, "history")
    await receive_until(shopper, "agent_joined")

    await shopper.send_json_to({"type": "page", "url": "/catalogue/red-shirt_1/?size=M", "title": "Red shirt | Hypex"})
    first = await receive_until(console, "page")
    await shopper.send_json_to({"type": "page", "url": "/basket/", "title": "Basket"})
    second = await receive_until(console, "page")

    assert first["page"]["url"] == "/catalogue/red-shirt_1/?size=M" and first["page"]["title"] == "Red shirt | Hypex"
    assert second["page"]["url"] == "/basket/" and second["page"]["visited_at"]
    assert [p["url"] for p in second["trail"]] == ["/basket/", "/catalogue/red-shirt_1/?size=M"]
    assert await _visits(conversation) == [
        ("/basket/", "Basket"),
        ("/catalogue/red-shirt_1/?size=M", "Red shirt | Hypex"),
    ]
    # the shopper's own socket is not told where they are
    assert await shopper.receive_nothing(timeout=0.2)
    await shopper.disconnect()
    await console.disconnect()


async def test_an_agents_history_carries_the_trail_so_a_page_reported_while_the_console_opened_is_there(
    user, agent, conversation
):
    """The console draws the trail from its socket's history frame, read after the socket joined the group:
    a page the shopper reported before the agent connected (while the console was still opening) is in it;
    one after arrives as a `page` frame. The shopper's own history is not told where they are."""
    shopper, _, _ = await connect_with_token(user, _path(conversation))
    history = await receive_until(shopper, "history")
    assert "pages" not in history
    await shopper.send_json_to({"type": "page", "url": "/basket/", "title": "Basket"})
    await shopper.send_json_to({"type": "ping"})
    await receive_until(shopper, "pong")  # frames are handled in order: the page is stored

    console, _, _ = await connect_with_token(agent, _path(conversation))
    history = await receive_until(console, "history")
    assert [(p["url"], p["title"]) for p in history["pages"]] == [("/basket/", "Basket")]

    await shopper.send_json_to({"type": "page", "url": "/", "title": "Home"})
    live = await receive_until(console, "page")
    if live["page"]["url"] == "/basket/":  # on Redis, the first page's own broadcast may land after the join
        assert [p["url"] for p in live["trail"]] == ["/basket/"]
        live = await receive_until(console, "page")
    assert [p["url"] for p in live["trail"]] == ["/", "/basket/"]
    await shopper.disconnect()
    await console.disconnect()


async def test_an_agents_socket_may_not_report_pages(agent, conversation):
    console, _, _ = await connect_with_token(agent, _path(conversation))
    await receive_until(console, "history")

    await console.send_json_to({"type": "page", "url": "/checkout/", "title": "Checkout"})

    error = await receive_until(console, "error")
    assert error["code"] == "page_not_allowed"
    assert await _visits(conversation) == []
    await console.disconnect()


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "page"},
        {"type": "page", "url": ""},
        {"type": "page", "url": 5},
        {"type": "page", "url": ["/"]},
        {"type": "page", "url": "https://evil.example/phish"},
        {"type": "page", "url": "//evil.example/phish"},
        {"type": "page", "url": "/\\evil.example"},
        {"type": "page", "url": "javascript:alert(1)"},
        {"type": "page", "url": "/a\nb"},
        {"type": "page", "url": "/" + "a" * 500},
        {"type": "page", "url": "/ok/", "title": {"nested": "x"}},
        {"type": "page", "url": "/ok/", "title": 7},
    ],
)
async def test_hostile_pages_get_an_error_frame_and_are_not_stored(user, conversation, frame):
    shopper, _, _ = await connect_with_token(user, _path(conversation))
    await receive_until(shopper, "history")

    await shopper.send_json_to(frame)

    error = await receive_until(shopper, "error")
    assert error["code"] == "page_invalid"
    assert await _visits(conversation) == []
    await shopper.send_json_to({"type": "ping"})
    assert (await receive_until(shopper, "pong"))["type"] == "pong"  # the socket stays open
    await shopper.disconnect()


async def test_a_nul_anywhere_in_the_frame_is_refused(user, conversation):
    shopper, _, _ = await connect_with_token(user, _path(conversation))
    await receive_until(shopper, "history")

    await shopper.send_to(text_data='{"type": "page", "url": "/ok/", "title": "a\\u0000b"}')

    assert (await receive_until(shopper, "error"))["type"] == "error"
    assert await _visits(conversation) == []
    await shopper.disconnect()


async def test_titles_are_cut_and_cleaned_and_a_repeat_only_moves_the_time(user, conversation):
    shopper, _, _ = await connect_with_token(user, _path(conversation))
    await receive_until(shopper, "history")

    await shopper.send_json_to({"type": "page", "url": "/a/", "title": "Tab\tand\r\nnew  line " + "x" * 300})
    await shopper.send_json_to({"type": "page", "url": "/a/", "title": "Tab\tand\r\nnew  line " + "x" * 300})
    await shopper.send_json_to({"type": "ping"})
    await receive_until(shopper, "pong")

    [(url, title)] = await _visits(conversation)
    assert url == "/a/" and len(title) == 200 and title.startswith("Tab and new line xxx")
    await shopper.disconnect()


async def test_only_the_last_20_pages_are_kept_and_the_api_lists_them(user, agent, conversation, api_client, settings):
    settings.SUPPORT_WS_RATE_FRAMES = 100
    shopper, _, _ = await connect_with_token(user, _path(conversation))
    await receive_until(shopper, "history")
    for number in range(PAGE_TRAIL_LENGTH + 5):
        await shopper.send_json_to({"type": "page", "url": f"/p/{number}/", "title": f"P{number}"})
    await shopper.send_json_to({"type": "ping"})
    await receive_until(shopper, "pong")
    await shopper.disconnect()

    visits = await _visits(conversation)
    assert len(visits) == PAGE_TRAIL_LENGTH and visits[0][0] == "/p/24/" and visits[-1][0] == "/p/5/"
    url = f"/api/v1/support/conversations/{conversation.pk}/pages/"
    agent_headers = await database_sync_to_async(auth_header)(agent)
    listed = await database_sync_to_async(lambda: api_client.get(url, **agent_headers))()
    assert listed.status_code == 200 and listed.json()[0]["url"] == "/p/24/" and len(listed.json()) == 20
    user_headers = await database_sync_to_async(auth_header)(user)
    assert (await database_sync_to_async(lambda: api_client.get(url, **user_headers))()).status_code == 403
