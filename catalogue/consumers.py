"""Search suggestions over a websocket: `/ws/search/`.

The client sends `{"q": "oxf"}` frames; the server answers each with
`{"type": "suggestions", "q": "oxf", "products": [{id, title, url}], "pages": [{id, title, url}]}`
(the same data as `GET /api/v1/search/suggest/?q=`). Anyone may connect (it reads public data).
Errors: `{"type": "error", "code": "bad_request" | "throttled" | "frame_too_large", "message": ...}`;
the socket stays open after each (hostile frames included: binary, NUL, NaN, deep JSON; see
apibase/websocket_json.py). Frames are limited per connection like the support chat
(`apibase.websocket_ratelimit.FrameRateLimit`): past the limit they get `throttled`, past three times
the limit the socket closes with 4429.
"""

from __future__ import annotations

from apibase.websocket_db import db_async
from apibase.websocket_json import JsonFrameConsumer

from .suggest import search_suggestions


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
        suggestions = await db_async(search_suggestions)(query=content["q"])
        await self.send_json({"type": "suggestions", **suggestions})
