"""A sliding-window frame counter for one websocket connection."""

from __future__ import annotations

import time
from collections import deque


class FrameRateLimit:
    """`check()` answers "ok", "drop" (over the limit: refuse this frame) or "close" (flooding)."""

    def __init__(self, *, frames: int, window_seconds: float) -> None:
        self.frames = frames
        self.window = window_seconds
        self.seen: deque[float] = deque()

    def check(self) -> str:
        now = time.monotonic()
        while self.seen and now - self.seen[0] > self.window:
            self.seen.popleft()
        self.seen.append(now)
        if len(self.seen) > self.frames * 3:
            return "close"
        if len(self.seen) > self.frames:
            return "drop"
        return "ok"
