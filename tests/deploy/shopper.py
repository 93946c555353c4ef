"""The scripted shopper of the production-shaped run: plain HTTP and websocket clients, through nginx,
doing what the storefront's pages and scripts and an app do (tests/deploy/test_production_metrics_run.py)."""

from __future__ import annotations

import asyncio
import http.client
import json
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import websockets

from tests.checkout.conftest import GB_ADDRESS


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Visitor:
    """One browser or app: keeps its cookies (the Secure ones too: TLS ends at nginx in production)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, *, json_body=None, form=None, headers=None, csrf=False) -> Reply:
        """`csrf`: as the storefront's scripts do, send the CSRF cookie's token in `X-CSRFToken`."""
        headers = dict(headers or {})
        body = None
        if json_body is not None:
            body, headers["Content-Type"] = json.dumps(json_body), "application/json"
        if form is not None:
            body, headers["Content-Type"] = urlencode(form), "application/x-www-form-urlencoded"
        if csrf:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if form is not None or csrf:
            headers["Origin"] = self.origin  # what a browser sends with a form POST or a fetch()
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            reply = Reply(response.status, response.msg, response.read())
        finally:
            connection.close()
        for header in reply.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return reply


@dataclass
class ShopperLog:
    checkout_posts: int = 0
    basket_posts: int = 0
    paid: int = 0
    declined: int = 0
    frames_sent: int = 0


def orders_place(port: int, products: list, log: ShopperLog, *, orders: int, declined: set[int]) -> None:
    """Guest orders through the API, each paid on the dummy gateway's page, or declined there."""
    for number in range(orders):
        app = Visitor(port)
        lines = products[: 1 + number % 2]  # one or two lines: the requests do not fall in step with nginx
        token = None
        for product in lines:
            added = app.request(
                "POST", "/api/v1/basket/lines/", json_body={"product": product.pk, "quantity": 1},
                headers={"X-Basket-Token": token} if token else None,
            )  # fmt: skip
            log.basket_posts += 1
            assert added.status in (200, 201), added.body[:500]
            token = added.json()["token"]
        body = {"shipping_address": GB_ADDRESS, "shipping_method": "express", "payment_method": "dummy",
                "guest_email": f"guest{number}@example.com"}  # fmt: skip
        placed = app.request("POST", "/api/v1/checkout/", json_body=body, headers={"X-Basket-Token": token})
        log.checkout_posts += 1
        assert placed.status == 201, placed.body[:500]
        pay_url = urlsplit(placed.json()["payment"]["redirect_url"])
        assert pay_url.netloc == f"127.0.0.1:{port}", pay_url  # links use the address nginx served

        browser = Visitor(port)  # the pay page opens in a browser
        page = browser.request("GET", pay_url.path)
        assert page.status == 200, page.body[:500]
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1).decode()
        decision = "decline" if number in declined else "approve"
        answered = browser.request("POST", pay_url.path, form={"csrfmiddlewaretoken": csrf, "decision": decision})
        assert answered.status == 200, answered.body[:500]
        if decision == "approve":
            assert b"Payment approved" in answered.body
            log.paid += 1
        else:
            assert b"Payment declined" in answered.body
            log.declined += 1


async def _frame(socket, wanted) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
        if wanted(frame):
            return frame


async def _chat(port: int, conversation_id: int, session_cookie: str, agent_token: str, log: ShopperLog) -> None:
    url = f"ws://127.0.0.1:{port}/ws/support/{conversation_id}/"
    is_message = lambda body: lambda f: f["type"] == "message" and f["message"]["body"] == body  # noqa: E731
    async with (
        websockets.connect(
            url, origin=f"http://127.0.0.1:{port}", additional_headers={"Cookie": session_cookie}
        ) as guest,
        websockets.connect(url, subprotocols=["bearer", agent_token]) as agent,
    ):
        await _frame(guest, lambda f: f["type"] == "history")
        await _frame(agent, lambda f: f["type"] == "history")
        for body in ("Is the linen shirt pre-washed?", "And does it come in blue?"):
            await guest.send(json.dumps({"type": "message", "body": body}))
            log.frames_sent += 1
            await _frame(agent, is_message(body))
        reply = "Yes to both: pre-washed, and blue is in stock."
        await agent.send(json.dumps({"type": "message", "body": reply}))
        log.frames_sent += 1
        await _frame(guest, is_message(reply))


def support_chat(port: int, log: ShopperLog, *, agent_email: str, agent_password: str) -> None:
    """A guest starts a conversation on the storefront and chats; an agent signs in (app API) and replies."""
    guest = Visitor(port)  # a browser on the storefront, where the chat widget is
    assert guest.request("GET", "/").status == 200
    question = {"subject": "Sizing", "body": "Hello!", "guest_email": "chat@example.com"}
    started = guest.request("POST", "/api/v1/support/conversations/", json_body=question, csrf=True)
    assert started.status == 201, started.body[:500]
    agent = Visitor(port)
    signed_in = agent.request(
        "POST", "/api/v1/auth/token/", json_body={"email": agent_email, "password": agent_password}
    )
    assert signed_in.status == 200, signed_in.body[:500]
    session = f"sessionid={guest.cookies['sessionid']}"
    asyncio.run(_chat(port, started.json()["id"], session, signed_in.json()["access"], log))
