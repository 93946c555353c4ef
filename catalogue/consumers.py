"""Search suggestions over a websocket: `/ws/search/`.

The client sends `{"q": "oxf"}` frames; the server answers each with
`{"type": "suggestions", "q": "oxf", "products": [{id, title, url}], "pages": [{id, title, url}]}`
(the same data as `GET /api/v1/search/suggest/?q=`). Anyone may connect (it reads public data).
Errors: `{"type": "error", "code": "bad_request" | "throttled", "message": ...}`. Frames are limited
per connection like the support chat (support/ratelimit.py): past the limit they get `throttled`,
past three times the limit the socket closes with 4429.
"""

from __future__ import annotations

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from support.ratelimit import FrameRateLimit

from .suggest import search_suggestions

CLOSE_FLOODING = 4429


class SearchSuggestConsumer(AsyncJsonWebsocketConsumer):
    # No channel layer: it answers its own socket only, so it keeps working while Redis is away
    # (an alias that names no layer makes Channels give it none; ADR 0025).
    channel_layer_alias = "none"

    async def connect(self):
        self.rate_limit = FrameRateLimit(
            frames=settings.SEARCH_WS_RATE_FRAMES, window_seconds=settings.SEARCH_WS_RATE_WINDOW_SECONDS
        )
        await self.accept()

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return json.loads(text_data)
        except ValueError:
            return None

    async def receive_json(self, content, **kwargs):
        verdict = self.rate_limit.check()
        if verdict == "close":
            await self.close(code=CLOSE_FLOODING)
            return
        if verdict == "drop":
            await self.send_json({"type": "error", "code": "throttled", "message": "Too many requests; slow down."})
            return
        if not isinstance(content, dict) or not isinstance(content.get("q"), str):
            await self.send_json({"type": "error", "code": "bad_request", "message": 'Send {"q": "words"}.'})
            return
        suggestions = await database_sync_to_async(search_suggestions)(query=content["q"])
        await self.send_json({"type": "suggestions", **suggestions})
