"""Websocket database work runs on a bounded pool of threads, many calls at once, and each call hands
its connection back (apibase.websocket_db, ADR 0059). No timings: a barrier that every call must reach
before any may go on proves that the calls overlap (one thread would never get past it)."""

import asyncio
import threading

import pytest
from channels.testing import WebsocketCommunicator
from django.db import connection

from apibase.websocket_db import db_async
from config.asgi import application

BROWSER = [(b"host", b"testserver"), (b"origin", b"http://testserver")]


def _query_then_wait(barrier: threading.Barrier, seen: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    seen.append((threading.get_ident(), connection))
    barrier.wait()  # raises BrokenBarrierError (after its timeout) unless every call runs at once
    return one


@pytest.mark.django_db(transaction=True)
async def test_the_database_work_of_several_calls_runs_at_once(settings):
    settings.WEBSOCKET_DB_THREADS = 4
    barrier, seen = threading.Barrier(4, timeout=30), []

    results = await asyncio.gather(*(db_async(_query_then_wait)(barrier, seen) for _ in range(4)))

    assert results == [1, 1, 1, 1]
    assert len({thread for thread, _ in seen}) == 4


@pytest.mark.django_db(transaction=True)
async def test_calls_share_at_most_the_configured_threads_and_hand_back_their_connections(settings):
    settings.WEBSOCKET_DB_THREADS = 2
    barrier, seen = threading.Barrier(2, timeout=30), []

    await asyncio.gather(*(db_async(_query_then_wait)(barrier, seen) for _ in range(6)))

    assert len(seen) == 6 and len({thread for thread, _ in seen}) == 2
    if connection.vendor == "postgresql":  # SQLite's in-memory test database ignores close()
        assert all(wrapper.connection is None for _, wrapper in seen)  # back in the pool, or closed


@pytest.mark.django_db(transaction=True)
async def test_search_sockets_are_answered_at_once_not_one_after_the_other(settings, monkeypatch):
    """Four shoppers type at the same moment: each socket's lookup waits until all four have started."""
    settings.WEBSOCKET_DB_THREADS = 4
    barrier = threading.Barrier(4, timeout=30)

    def suggestions(*, query: str) -> dict:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        barrier.wait()
        return {"q": query, "products": [], "pages": []}

    monkeypatch.setattr("catalogue.consumers.search_suggestions", suggestions)
    sockets = [WebsocketCommunicator(application, "/ws/search/", headers=BROWSER) for _ in range(4)]
    for socket in sockets:
        assert (await socket.connect())[0]

    for number, socket in enumerate(sockets):
        await socket.send_json_to({"q": f"shirt {number}"})
    replies = [await socket.receive_json_from(timeout=60) for socket in sockets]

    assert [reply["q"] for reply in replies] == [f"shirt {number}" for number in range(4)]
    for socket in sockets:
        await socket.disconnect()
