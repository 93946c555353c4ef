"""Search suggestions over a websocket: `/ws/search/`.

The client sends `{"q": "oxf"}` frames; the server answers each with
`{"type": "suggestions", "q": "oxf", "products": [{id, title, url}], "pages": [{id, title, url}]}`
(the same data as `GET /api/v1/search/suggest/?q=`). Anyone may connect (it reads public data).
Errors: `{"type": "error", "code": "bad_request" | "throttled" | "frame_too_large", "message": ...}`;
the socket stays open after each (hostile frames included: binary, NUL, NaN, deep JSON; see
apibase/websocket_json.py). Frames are limited per connection like the support chat
(`apibase.websocket_ratelimit.FrameRateLimit`): past the limit they get `throttled`, past three times
the limit the socket closes with 4429.

A crowd types the same few prefixes at once, and until the first answer is cached each of them would run
the same search: within a process, a socket that asks what another socket is already waiting for waits
for that same answer (`suggestions_shared`).
"""

from __future__ import annotations

import asyncio
import weakref

from apibase.websocket_db import db_async
from apibase.websocket_json import JsonFrameConsumer

from .suggest import normalized_query, search_suggestions

# Per event loop (one per server process; tests run several): normalized query -> the running search.
_in_flight: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Future]] = (
    weakref.WeakKeyDictionary()
)


async def suggestions_shared(query: str) -> dict:
    """`search_suggestions(query=query)`, run once at a time per question in this process: concurrent
    askers of the same question share one search. A socket that goes away does not cancel it for the
    others."""
    key = normalized_query(query)
    running = _in_flight.setdefault(asyncio.get_running_loop(), {})
    search = running.get(key)
    if search is None:
        search = running[key] = asyncio.ensure_future(db_async(search_suggestions)(query=query))
        search.add_done_callback(lambda _done: running.pop(key, None))
    return await asyncio.shield(search)


class SearchSuggestConsumer(JsonFrameConsumer):
    invalid_frame_code = "bad_request"
    rate_limited_code = "throttled"
    object_hint = 'Send {"q": "words"}.'

    # No channel layer: it answers its own socket only, so it keeps working while Redis is away
    # (an alias that names no layer makes Channels give it none; ADR 0025).
    channel_layer_alias = "none"
    rate_limit_settings = ("SEARCH_WS_RATE_FRAMES", "SEARCH_WS_RATE_WINDOW_SECONDS")

    async def connect(self):
        await self.accept()

    async def receive_json(self, content, **kwargs):
        if not isinstance(content.get("q"), str):
            await self.send_error(self.invalid_frame_code, self.object_hint)
            return
        suggestions = await suggestions_shared(content["q"])
        await self.send_json({"type": "suggestions", **suggestions})
