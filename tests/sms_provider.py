"""An SMS provider for tests: a real HTTP server on loopback that records what it is asked to send.

It speaks the protocol of `accounts.sms.HttpSmsBackend`. Set `fail_with` to an HTTP status to make it
refuse messages, or stop it to make it unreachable.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeSmsProvider:
    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.auth_headers: list[str | None] = []
        self.fail_with: int | None = None
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                payload = json.loads(self.rfile.read(length) or b"{}")
                if provider.fail_with:
                    self.send_response(provider.fail_with)
                    self.end_headers()
                    return
                provider.messages.append(payload)
                provider.auth_headers.append(self.headers.get("Authorization"))
                self.send_response(202)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status": "queued"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/messages"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def last_code(self, to: str | None = None) -> str:
        for message in reversed(self.messages):
            if to is None or message["to"] == to:
                return re.search(r"\b(\d{6})\b", message["body"]).group(1)
        raise AssertionError(f"no SMS sent to {to}")
