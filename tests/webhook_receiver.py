"""An app's webhook receiver for tests: a real HTTP server on loopback (port 0) that checks each POST's
`Hypex-Signature` against the secret it is given, the way the README tells apps to, and answers with the
status codes a test queues (200 once the queue is empty)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from eventhooks.signing import signature_verify


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signature_valid: bool
    answered: int

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class WebhookReceiver:
    def __init__(self) -> None:
        self.secret = ""
        self.answers: list[int] = []
        self.received: list[Received] = []
        self.delay = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                valid = signature_verify(
                    header=self.headers.get("Hypex-Signature", ""), body=body, secret=receiver.secret,
                    now=int(time.time()),
                )  # fmt: skip
                status = receiver.answers.pop(0) if receiver.answers else 200
                if receiver.delay:
                    time.sleep(receiver.delay)
                receiver.received.append(Received(self.path, dict(self.headers), body, valid, status))
                reply = json.dumps({"ok": status < 300, "signature_valid": valid}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
