"""Django's HTTP over ASGI in one hop per request (ops.asgi_http, docs/adr/0053): the request's signals,
middleware and view run on one pool thread, the pool bounds the requests a process works on at once,
and streaming answers still stream. Through the ASGI interface, as the server calls it."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time

import pytest
import redis
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from channels.testing import HttpCommunicator
from django.core import signals
from django.core.cache import cache
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path

from ops.asgi_http import SyncChainASGIHandler

pytestmark = pytest.mark.django_db(transaction=True)

seen: dict[str, list] = {"started": [], "view": [], "finished": []}
inside = {"now": 0, "most": 0}
inside_lock = threading.Lock()


def _thread_view(request):
    seen["view"].append(threading.get_ident())
    return HttpResponse(f"served by {threading.current_thread().name}")


def _slow_view(request):
    with inside_lock:
        inside["now"] += 1
        inside["most"] = max(inside["most"], inside["now"])
    time.sleep(0.2)
    with inside_lock:
        inside["now"] -= 1
    return HttpResponse("done")


def _parts():
    for n in range(3):
        seen["view"].append(threading.current_thread().name)
        yield f"part {n}\n".encode()


def _stream_view(request):
    return StreamingHttpResponse(_parts())


marker: contextvars.ContextVar[str] = contextvars.ContextVar("marker", default="")


def _marker_view(request, name):
    seen_before = marker.get()
    marker.set(request.path)
    return HttpResponse(seen_before)


async def _loop_of_this_coroutine():
    return asyncio.get_running_loop()


def _async_to_sync_view(request):
    seen["view"].append(async_to_sync(_loop_of_this_coroutine)())
    return HttpResponse("ok")


def _cache_view(request):
    return HttpResponse(str(cache.get("nothing-here", "miss")))


urlpatterns = [
    path("thread/", _thread_view),
    path("slow/", _slow_view),
    path("stream/", _stream_view),
    path("marker/<str:name>/", _marker_view),
    path("loop/", _async_to_sync_view),
    path("cache/", _cache_view),
]


@pytest.fixture
def handler(settings):
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["shop.test"]
    settings.SECURE_SSL_REDIRECT = False
    for records in seen.values():
        records.clear()
    inside.update(now=0, most=0)
    return SyncChainASGIHandler(threads=2)


def _request(handler, target: str) -> HttpCommunicator:
    return HttpCommunicator(handler, "GET", target, headers=[(b"host", b"shop.test")])


def _get(handler, target: str) -> dict:
    return asyncio.run(_request(handler, target).get_response(timeout=10))


def test_a_requests_signals_middleware_and_view_run_on_one_pool_thread(handler):
    def started(**kwargs):
        seen["started"].append(threading.get_ident())

    def finished(**kwargs):
        seen["finished"].append(threading.get_ident())

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        response = _get(handler, "/thread/")
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)

    assert response["status"] == 200
    assert response["body"].startswith(b"served by django-http")
    # request_finished closes the request's database connection: on the thread that used it
    assert seen["started"] == seen["view"] == seen["finished"]


def test_the_pool_bounds_the_requests_a_process_works_on_at_once(handler):
    async def six_at_once():
        return await asyncio.gather(*(_request(handler, "/slow/").get_response(timeout=20) for _ in range(6)))

    responses = asyncio.run(six_at_once())

    assert [r["status"] for r in responses] == [200] * 6
    assert inside["most"] == 2  # threads=2: the other four waited for a free thread


def test_a_streaming_answer_is_read_part_by_part_on_the_pool_and_closed(handler, recwarn):
    finished = []

    def on_finished(**kwargs):
        finished.append(True)

    async def stream():
        communicator = ApplicationCommunicator(
            handler, {**_request(handler, "/stream/").scope, "type": "http", "http_version": "1.1"}
        )
        await communicator.send_input({"type": "http.request", "body": b""})
        messages = [await communicator.receive_output(10)]
        while messages[-1].get("more_body", messages[-1]["type"] == "http.response.start"):
            messages.append(await communicator.receive_output(10))
        await communicator.wait(10)  # the answer is closed after its last part is sent
        return messages

    signals.request_finished.connect(on_finished)
    try:
        messages = asyncio.run(stream())
    finally:
        signals.request_finished.disconnect(on_finished)

    assert messages[0]["status"] == 200
    assert b"".join(m.get("body", b"") for m in messages[1:]) == b"part 0\npart 1\npart 2\n"
    assert all(name.startswith("django-http") for name in seen["view"])  # each part read on the pool
    assert finished == [True]
    assert not [w for w in recwarn if "consume synchronous iterators" in str(w.message)]


async def _serve_in_this_task(handler, target: str) -> bytes:
    """One request, run by the calling task itself, as a server runs each request of a keep-alive
    connection in that connection's task (so in its context)."""
    scope = {**_request(handler, target).scope, "type": "http", "http_version": "1.1"}
    messages = [{"type": "http.request", "body": b""}]
    sent = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await handler(scope, receive, send)
    assert sent[0]["status"] == 200
    return b"".join(m.get("body", b"") for m in sent[1:])


def test_what_a_request_sets_in_its_context_is_not_seen_by_the_next_on_the_same_connection(handler):
    async def two_requests_one_connection():
        return [await _serve_in_this_task(handler, f"/marker/{name}/") for name in ("first", "second")]

    # asgiref's sync_to_async copied what the first request set back into the connection's context.
    assert asyncio.run(two_requests_one_connection()) == [b"", b""]


def test_a_request_cancelled_while_its_view_runs_still_finishes_and_hands_its_connection_back(handler):
    finished = []

    def on_finished(**kwargs):
        finished.append(True)

    async def cancelled_meanwhile():
        task = asyncio.create_task(_serve_in_this_task(handler, "/slow/"))
        await asyncio.sleep(0.05)  # the view sleeps 0.2 s on the pool
        task.cancel()
        return await task

    signals.request_finished.connect(on_finished)
    try:
        body = asyncio.run(cancelled_meanwhile())
    finally:
        signals.request_finished.disconnect(on_finished)

    assert body == b"done"  # the view ran to its end and its answer was sent
    assert finished == [True]  # request_finished: the database connection went back to the pool
    assert inside["now"] == 0


def test_async_to_sync_in_a_view_runs_its_coroutine_on_the_servers_loop(handler):
    async def serve():
        await _serve_in_this_task(handler, "/loop/")
        return asyncio.get_running_loop()

    # Not on a new loop in a new thread: the channel layer's connections belong to the server's loop.
    assert seen["view"] == [asyncio.run(serve())]


@pytest.mark.redis
def test_requests_in_new_contexts_share_the_processs_redis_connections(handler, redis_server, settings):
    settings.CACHES = {"default": {"BACKEND": "ops.cache_backends.FaultTolerantRedisCache",
                                   "LOCATION": redis_server.url, "KEY_PREFIX": "t"}}  # fmt: skip
    counter = redis.Redis.from_url(redis_server.url)
    before = counter.info("stats")["total_connections_received"]

    async def twenty_connections():
        for _ in range(20):  # each request in a task of its own, as each new HTTP connection is
            response = await _request(handler, "/cache/").get_response(timeout=10)
            assert response["body"] == b"miss"

    asyncio.run(twenty_connections())

    # Django makes a cache object per context; with a pool of its own each opened a connection.
    assert counter.info("stats")["total_connections_received"] - before <= 2  # at most one per pool thread
    counter.close()


def test_the_shipped_application_serves_http_with_this_handler():
    from config.asgi import django_asgi_app

    assert isinstance(django_asgi_app, SyncChainASGIHandler)
    assert not asyncio.iscoroutinefunction(django_asgi_app._middleware_chain)  # one hop, not one per middleware


def test_the_check_refuses_more_threads_than_the_database_pool_can_serve(settings, monkeypatch):
    from ops.server_checks import check_http_threads_fit_the_database_pool

    monkeypatch.setitem(settings.DATABASES["default"].setdefault("OPTIONS", {}), "pool", {"max_size": 8})
    settings.WEBSOCKET_DB_THREADS = 4
    settings.HTTP_THREADS = 4
    assert check_http_threads_fit_the_database_pool() == []

    settings.HTTP_THREADS = 5
    assert [error.id for error in check_http_threads_fit_the_database_pool()] == ["hypex.E011"]

    settings.HTTP_THREADS = 0
    assert [error.id for error in check_http_threads_fit_the_database_pool()] == ["hypex.E011"]
