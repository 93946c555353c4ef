"""A Stripe API for tests: a real HTTP server on loopback that speaks the endpoints Hypex calls.

`POST /v1/payment_intents`, `GET /v1/payment_intents/{id}`, `POST /v1/refunds`, form-encoded like Stripe's.
It keeps intents in memory, honours `Idempotency-Key`, checks the bearer key, and lets a test settle an
intent (`succeed`) or make the next call fail (`fail_with`). Point `STRIPE_API_BASE` at `url`.
"""

from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


class FakeStripe:
    def __init__(self, api_key: str = "sk_test_hypex") -> None:
        self.api_key = api_key
        self.intents: dict[str, dict] = {}
        self.refunds: list[dict] = []
        self.requests: list[tuple[str, str, dict]] = []
        self.fail_with: int | None = None
        self._idempotent: dict[str, tuple[int, dict]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_test")
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode())) if length else {}
                fake.requests.append((method, self.path, form))
                if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                    return self._reply(401, {"error": {"type": "invalid_request_error", "message": "bad key"}})
                if fake.fail_with:
                    return self._reply(fake.fail_with, {"error": {"type": "api_error", "message": "down"}})
                key = self.headers.get("Idempotency-Key")
                with fake._lock:
                    if key and key in fake._idempotent:
                        return self._reply(*fake._idempotent[key])
                    status, body = fake._route(method, self.path.split("?")[0], form)
                    if key and method == "POST":
                        fake._idempotent[key] = (status, body)
                self._reply(status, body)

            def do_GET(self):  # noqa: N802
                self._handle("GET")

            def do_POST(self):  # noqa: N802
                self._handle("POST")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _route(self, method: str, path: str, form: dict) -> tuple[int, dict]:
        if method == "POST" and path == "/v1/payment_intents":
            number = next(self._ids)
            intent = {
                "id": f"pi_test_{number}",
                "object": "payment_intent",
                "amount": int(form["amount"]),
                "amount_received": 0,
                "currency": form["currency"],
                "status": "requires_payment_method",
                "client_secret": f"pi_test_{number}_secret_abc",
                "last_payment_error": None,
                "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
            }
            self.intents[intent["id"]] = intent
            return 200, intent
        if method == "GET" and path.startswith("/v1/payment_intents/"):
            intent = self.intents.get(path.rsplit("/", 1)[1])
            if intent is None:
                return 404, {"error": {"type": "invalid_request_error", "message": "No such payment_intent"}}
            return 200, intent
        if method == "POST" and path == "/v1/refunds":
            intent = self.intents.get(form.get("payment_intent", ""))
            if intent is None or intent["status"] != "succeeded":
                return 400, {"error": {"type": "invalid_request_error", "message": "not refundable"}}
            refund = {
                "id": f"re_test_{next(self._ids)}",
                "object": "refund",
                "amount": int(form["amount"]),
                "currency": intent["currency"],
                "payment_intent": intent["id"],
                "status": "succeeded",
            }
            self.refunds.append(refund)
            return 200, refund
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL {path}"}}

    def succeed(self, intent_id: str, *, amount_received: int | None = None, currency: str | None = None) -> dict:
        intent = self.intents[intent_id]
        intent["status"] = "succeeded"
        intent["amount_received"] = intent["amount"] if amount_received is None else amount_received
        if currency:
            intent["currency"] = currency
        return intent

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
