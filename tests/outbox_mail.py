"""Test-only helpers for the outbox tests (ADR 0024).

`SlowFileBackend` is an email backend for a real huey worker subprocess: for each message it first
drops a marker in `<EMAIL_FILE_PATH>/sending/` (so a test knows a send is in flight), sleeps
`OUTBOX_TEST_MAIL_DELAY` seconds (env, default 2), then writes the message to `<EMAIL_FILE_PATH>/`
as one file. A worker killed during the sleep has written the marker and no mail.

`huey_on` points the test process's huey (the instance every task is bound to) at a Redis URL, not
in-process, for a test's duration: enqueues then go to that Redis, or fail when it is down.
"""

from __future__ import annotations

import os
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = Path(settings.EMAIL_FILE_PATH)
        delay = float(os.environ.get("OUTBOX_TEST_MAIL_DELAY", "2"))
        sent = 0
        for message in email_messages:
            name = f"{time.time():.6f}-{uuid.uuid4().hex}"
            (folder / "sending").mkdir(parents=True, exist_ok=True)
            (folder / "sending" / name).write_text(message.subject)
            time.sleep(delay)
            (folder / f"{name}.eml").write_bytes(message.message().as_bytes())
            sent += 1
        return sent


def mails_in(folder: Path) -> list[str]:
    return [path.read_text() for path in sorted(folder.glob("*.eml"))]


@contextmanager
def huey_on(url: str):
    from huey.contrib.djhuey import HUEY
    from huey.storage import RedisStorage

    saved = HUEY.storage, HUEY._immediate
    HUEY._immediate = False
    HUEY.storage = RedisStorage(HUEY.name, url=f"{url}?socket_connect_timeout=2&socket_timeout=5")
    try:
        yield HUEY
    finally:
        HUEY.storage, HUEY._immediate = saved
