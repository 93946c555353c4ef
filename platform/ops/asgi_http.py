"""Django's HTTP over ASGI with one thread hop per request (docs/adr/0053).

Django's own `ASGIHandler` runs the middleware chain in async mode. Every sync-only middleware in the
chain (WhiteNoise, allauth's, Oscar's basket, ...) and the sync view then cost a switch between the
event loop and a thread, and each request gets a new thread of its own (`ThreadSensitiveContext`).
Measured in one process on the cached product list: 7.7 `sync_to_async` calls per request, and 3.5 ms of
CPU for `/healthz` where the WSGI handler spends 0.7 ms.

`SyncChainASGIHandler` keeps what the ASGI server does well (parsing HTTP, websockets on the same
port) and runs Django the way a WSGI worker does: the body is read on the event loop, then the whole
request - `request_started`, the sync middleware chain and view, and `request_finished` for an ordinary
response - runs in one call on a thread of a small fixed pool. A response's database connection is
therefore used and handed back to the pool (ADR 28) on one thread. Streaming responses (files, exports)
are read chunk by chunk on the pool while the loop sends them (Django's handler reads a synchronous
iterator whole into memory first), then closed on the pool.

`HTTP_THREADS` (default 2) bounds the requests one process works on at once; it must stay below
`DATABASE_POOL_MAX_SIZE` (ADR 28), which the websockets' database work shares.

The hop is `loop.run_in_executor` in a copy of the loop task's context, not asgiref's `sync_to_async`:
that copied every context variable back and forth around each call (`_restore_context`, twice per hop),
a fifth of a cached API answer's CPU (py-spy, ADR 53 "The hop without asgiref"), and carried what one
request set into the context of the next request on the same keep-alive connection. What a request sets
stays in its own copy. The pool thread is told the loop, as `sync_to_async` tells it, so `async_to_sync`
in a view (the channel layer) runs its coroutine on that loop.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import FileResponse, HttpResponseBase
from django.urls import set_script_prefix


class SyncChainASGIHandler(ASGIHandler):
    """An ASGI application for Django's HTTP requests: one hop to a bounded thread pool per request."""

    def __init__(self, *, threads: int) -> None:
        BaseHandler.__init__(self)  # not ASGIHandler's: it would build the async middleware chain
        self.load_middleware(is_async=False)
        self.threads = threads
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="django-http")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django serves HTTP here, not {scope['type']}.")
        await self.handle(scope, receive, send)

    async def handle(self, scope, receive, send) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            response = await self._in_pool(self._respond)(scope, body_file)
            if response.streaming and not response.is_async:
                response.streaming_content = self._chunks_from_pool(iter(response.streaming_content))
            try:
                await self.send_response(response, send)
            except asyncio.CancelledError:  # the client went away while the answer was being sent
                pass
            finally:
                if response.streaming:
                    await self._in_pool(response.close)()
        finally:
            body_file.close()

    def _in_pool(self, function):
        """`function` as a coroutine function run on the pool, in a copy of the caller's context. If the
        caller is cancelled meanwhile, the call still finishes (a request half-run would keep its database
        connection) and its result is returned, as asgiref's `sync_to_async` does."""

        async def call(*args):
            loop = asyncio.get_running_loop()
            work = functools.partial(contextvars.copy_context().run, _on_pool_thread, loop, function, *args)
            future = loop.run_in_executor(self._executor, work)
            try:
                return await asyncio.shield(future)
            except asyncio.CancelledError:
                return await future

        return call

    async def _chunks_from_pool(self, chunks):
        """A streaming answer's chunks, each read on the pool (a file block by block), where Django's
        handler would read the whole iterator into memory first."""
        end = object()
        while (chunk := await self._in_pool(next)(chunks, end)) is not end:
            yield chunk

    def _respond(self, scope, body_file) -> HttpResponseBase:
        """The whole request on this pool thread: the answer, closed unless it streams."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
            response._handler_class = self.__class__
            if isinstance(response, FileResponse):
                response.block_size = self.chunk_size
        if not response.streaming:
            response.close()  # request_finished: the database connection goes back to the pool here
        return response


def _on_pool_thread(loop, function, *args):
    # What `sync_to_async` tells its thread: `async_to_sync` here schedules on this loop, not a new one.
    SyncToAsync.threadlocal.main_event_loop = loop
    SyncToAsync.threadlocal.main_event_loop_pid = os.getpid()
    SyncToAsync.threadlocal.task_context = []
    return function(*args)
