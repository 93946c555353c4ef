"""JSON websocket consumers that survive hostile frames (ADR 0026).

Every consumer reads client frames through `JsonFrameConsumer`: a frame that is binary, longer than
WEBSOCKET_MAX_FRAME_BYTES, not JSON, JSON with NUL characters, NaN/Infinity or nesting deeper than
MAX_DEPTH, or not a JSON object, is answered with an error frame
`{"type": "error", "code": ..., "message": ...}` and the connection stays open. Frames count against
the consumer's rate limit (any object with `check() -> "ok" | "drop" | "close"`) before they are read,
so a flood of bad frames is limited like any other.
"""

from __future__ import annotations

import json
import math
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from rest_framework.exceptions import APIException

from .websocket_ratelimit import FrameRateLimit

CLOSE_FLOODING = 4429
MAX_DEPTH = 16


class FrameInvalid(Exception):
    """A text frame that cannot be read; `message` tells the client why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _reject_constant(name: str):
    raise FrameInvalid(f"{name} is not a number here; send finite numbers.")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise FrameInvalid("Numbers must be finite.")
    return value


def _check_structure(value: Any) -> None:
    """Depth and NUL characters, walked without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise FrameInvalid("Text must not contain NUL characters.")
        elif isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise FrameInvalid(f"JSON may nest at most {MAX_DEPTH} levels.")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def frame_parse(text: str) -> Any:
    """The JSON value of a text frame, or FrameInvalid."""
    if "\x00" in text:
        raise FrameInvalid("Frames must not contain NUL characters.")
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except RecursionError as error:
        raise FrameInvalid(f"JSON may nest at most {MAX_DEPTH} levels.") from error
    except ValueError as error:  # JSONDecodeError, and integers too long to read
        raise FrameInvalid("Send JSON text.") from error
    _check_structure(value)
    return value


class JsonFrameConsumer(AsyncJsonWebsocketConsumer):
    """The one base of every JSON websocket consumer (support chat, the agent console, order updates,
    search suggestions): reads frames defensively, limits them per connection, then dispatches them.

    - Rate limit: `rate_limit_settings` names the two settings (frames, window in seconds) of this
      consumer's `FrameRateLimit`, built when the socket connects; past the limit a frame gets
      `rate_limited_code`, past three times the limit the socket closes with 4429.
    - Dispatch: a frame `{"type": "x", ...}` goes to the method `frame_x(content)`; a type with no such
      method gets an `unknown_type` error frame, and a DRF `APIException` a handler raises (a service's
      refusal) becomes an error frame with its code. `default_frame_type` is used when a frame has no type.
      A consumer may instead override `receive_json` (the search socket reads `{"q": ...}` frames).
    - Subclasses may rename the codes their clients already know.
    """

    rate_limit = None
    rate_limit_settings: tuple[str, str] | None = None
    invalid_frame_code = "invalid_frame"
    rate_limited_code = "rate_limited"
    object_hint = "Send a JSON object."
    default_frame_type: str | None = None
    unknown_type_message = "Unknown frame type {frame_type!r}."

    async def websocket_connect(self, message):
        if self.rate_limit_settings is not None:
            frames, window = self.rate_limit_settings
            self.rate_limit = FrameRateLimit(frames=getattr(settings, frames), window_seconds=getattr(settings, window))
        await super().websocket_connect(message)

    async def send_error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": message})

    async def receive_json(self, content, **kwargs):
        frame_type = content.get("type", self.default_frame_type)
        handler = getattr(self, f"frame_{frame_type}", None) if _is_frame_type(frame_type) else None
        if handler is None:
            await self.send_error("unknown_type", self.unknown_type_message.format(frame_type=frame_type))
            return
        try:
            await handler(content)
        except APIException as exc:  # a service refused (DRF's exceptions, as the REST API answers them)
            codes = exc.get_codes()
            await self.send_error(codes if isinstance(codes, str) else "error", _detail_text(exc.detail))

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if self.rate_limit is not None:
            verdict = self.rate_limit.check()
            if verdict == "close":
                await self.close(code=CLOSE_FLOODING)
                return
            if verdict == "drop":
                await self.send_error(self.rate_limited_code, "Too many messages; slow down.")
                return
        if text_data is None:
            await self.send_error(self.invalid_frame_code, "Binary frames are not read; send JSON text.")
            return
        limit = settings.WEBSOCKET_MAX_FRAME_BYTES
        if len(text_data) > limit or len(text_data.encode("utf-8", "surrogatepass")) > limit:
            await self.send_error("frame_too_large", f"Frames are limited to {limit} bytes.")
            return
        try:
            content = frame_parse(text_data)
        except FrameInvalid as invalid:
            await self.send_error(self.invalid_frame_code, invalid.message)
            return
        if not isinstance(content, dict):
            await self.send_error(self.invalid_frame_code, self.object_hint)
            return
        await self.receive_json(content, **kwargs)


def _detail_text(detail: Any) -> str:
    if isinstance(detail, dict):
        detail = next(iter(detail.values()), "")
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
    return str(detail)


def _is_frame_type(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 40 and value.isascii() and value.isidentifier()
