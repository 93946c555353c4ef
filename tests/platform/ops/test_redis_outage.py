"""End to end: Redis is killed under a real daphne with the production wiring (fault-tolerant Redis
cache, channels_redis, RedisHuey, database sessions) and the shop keeps selling (ADR 0025).

A private redis-server is started, the shop is seeded and its pages warmed, then Redis is killed
(SIGKILL) and, over real HTTP: catalogue and product pages, the products API, basket (API and page),
checkout through the API (and paying on the dummy page) and through a signed-in session, and a
support message. No answer may be a 5xx; the orders and the message must be in the database. Redis
is started again and the pages are still fine. The figures are printed (run with -s to see them).

Side effects leave through the outbox (ADR 0024): the server hands them to RedisHuey (not in-process),
so every hand-over during the outage fails. After Redis is back a real huey worker starts, its relay
delivers what the queue never got, and each order placed during the outage has exactly one
confirmation email in the mail folder.
"""

from __future__ import annotations

import http.cookiejar
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model
from oscar.test.factories import create_product
from rest_framework_simplejwt.tokens import AccessToken

from support import services as support_services
from support.models import Message
from tests.asgi_server import AsgiServer
from tests.huey_worker import HueyWorker, wait_until

Order = get_model("order", "Order")
Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")
OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]
PASSWORD = "correct-horse-battery-staple"
GB_ADDRESS = {"first_name": "Sam", "last_name": "Shopper", "line1": "1 High Street", "line4": "London",
              "postcode": "SW1A 1AA", "country": "GB"}  # fmt: skip


@dataclass
class Tally:
    """Every answer the shop gave, by phase."""

    answers: list[tuple[str, str, str, int]] = field(default_factory=list)
    phase: str = "warm"

    def count(self, phase: str | None = None, *, server_errors: bool = False) -> int:
        return sum(1 for p, *_, status in self.answers
                   if (phase is None or p == phase) and (not server_errors or status >= 500))  # fmt: skip

    def server_errors(self) -> list[tuple[str, str, str, int]]:
        return [answer for answer in self.answers if answer[3] >= 500]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Shopper:
    """A browser-like HTTP client (cookies, CSRF token, no redirects followed) that tallies answers."""

    def __init__(self, base_url: str, tally: Tally, *, bearer: str | None = None) -> None:
        self.base_url, self.tally, self.bearer = base_url, tally, bearer
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def _csrf(self) -> str:
        return next((cookie.value for cookie in self.cookies if cookie.name == "csrftoken"), "")

    def request(self, method: str, path: str, *, form: dict | None = None, json_body: dict | None = None):
        headers = {"X-CSRFToken": self._csrf(), "Referer": self.base_url + "/"}
        data = None
        if form is not None:
            data = urllib.parse.urlencode({"csrfmiddlewaretoken": self._csrf(), **form}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json_body is not None:
            data, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        if self.bearer:
            headers["Authorization"] = f"Bearer {self.bearer}"
        url = path if path.startswith("http") else self.base_url + path
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                status, body, location = response.status, response.read(), response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            status, body, location = error.code, error.read(), error.headers.get("Location", "")
        self.tally.answers.append((self.tally.phase, method, path, status))
        return status, body, location

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict | None = None, *, json_body: dict | None = None):
        return self.request("POST", path, form=form if json_body is None else None, json_body=json_body)


@pytest.fixture
def shop(countries):
    gb = Country.objects.get(iso_3166_1_a2="GB")
    express = OrderAndItemCharges.objects.create(code="express", name="Express", price_per_order=Decimal("4.95"))
    express.countries.add(gb)
    products = [create_product(title=f"Outage Tee {i}", price=Decimal("12.00") + i, num_in_stock=50) for i in range(3)]
    user = get_user_model().objects.create_user(email="kept@example.com", password=PASSWORD, first_name="Kim")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    address = UserAddress.objects.create(user=user, first_name="Kim", line1="2 Low Road", line4="Leeds",
                                         postcode="LS1 1AA", country=gb)  # fmt: skip
    conversation = support_services.conversation_start(customer=user, subject="Where is it?", body="Hello")
    return {"products": products, "user": user, "address": address, "conversation": conversation}


@pytest.fixture
def server(redis_server, tmp_path):
    mail_dir = tmp_path / "mail"
    daphne = AsgiServer(
        redis_url=redis_server.url,
        env={
            "HUEY_IMMEDIATE": "0",  # RedisHuey: hand-overs fail while Redis is down
            "PAYMENT_GATEWAYS": "dummy",
            "CACHE_CIRCUIT_OPEN_SECONDS": "1",
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "TEST_EMAIL_FILE_PATH": str(mail_dir),
        },
    ).start()
    daphne.mail_dir = mail_dir
    yield daphne
    daphne.stop()


def _browse(anonymous: Shopper, products) -> None:
    for path in ["/catalogue/", "/api/v1/products/", *[p.get_absolute_url() for p in products],
                 *[f"/api/v1/products/{p.pk}/" for p in products]]:  # fmt: skip
        anonymous.get(path)


def _checkout_by_api(shopper: Shopper, product) -> str:
    shopper.post("/api/v1/basket/lines/", json_body={"product": product.pk, "quantity": 2})
    status, body, _ = shopper.post(
        "/api/v1/checkout/",
        json_body={"shipping_address": GB_ADDRESS, "shipping_method": "express", "payment_method": "dummy"},
    )
    assert status == 201, body[:500]
    answer = json.loads(body)
    pay_page = answer["payment"]["redirect_url"]
    payer = Shopper(shopper.base_url, shopper.tally)
    payer.get(pay_page)
    payer.post(pay_page, {"decision": "approve"})
    return answer["order"]["number"]


def _checkout_by_pages(shopper: Shopper, shop) -> None:
    product = shop["products"][1]
    shopper.get("/auth/login/")
    status, _, location = shopper.post("/auth/login/", {"login": shop["user"].email, "password": PASSWORD})
    assert (status, location) == (302, "/"), status
    shopper.get(product.get_absolute_url())
    shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    shopper.get("/basket/")
    shopper.get("/checkout/shipping-address/")
    shopper.post("/checkout/shipping-address/", {"action": "ship_to", "address_id": shop["address"].pk})
    shopper.post("/checkout/shipping-method/", {"method_code": "express"})
    shopper.get("/checkout/payment-method/")
    shopper.get("/checkout/payment-details/")
    shopper.post("/checkout/preview/", {"gateway": "dummy"})
    shopper.get("/checkout/preview/")
    status, _, location = shopper.post("/checkout/preview/", {"action": "place_order"})
    assert status == 302 and "/payments/dummy/" in location, (status, location)
    assert shopper.get("/accounts/profile/")[0] == 200  # still signed in


def _confirmations(mail_dir: Path, number: str) -> int:
    mails = "\n".join(path.read_text(errors="replace") for path in mail_dir.glob("*.log")) if mail_dir.exists() else ""
    return sum(1 for line in mails.splitlines() if line.startswith("Subject: Your ") and line.endswith(number))


def _deliver_after_recovery(server, redis_server, tmp_path, numbers: list[str]) -> None:
    """A worker started once Redis is back relays every message the outage kept from the queue."""
    worker = HueyWorker(
        redis_url=redis_server.url,
        log=tmp_path / "worker.log",
        env={"TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
             "TEST_EMAIL_FILE_PATH": str(server.mail_dir)},
    ).start()  # fmt: skip
    try:
        arrived = wait_until(lambda: all(_confirmations(server.mail_dir, n) for n in numbers), 90)
        assert arrived, worker.log_tail()
        time.sleep(3)  # a second copy would have arrived by now
    finally:
        worker.stop()
    for number in numbers:
        count = _confirmations(server.mail_dir, number)
        assert count == 1, f"order {number}: {count} confirmation emails, expected one"


def test_the_shop_keeps_selling_while_redis_is_killed(server, redis_server, shop, tmp_path):
    tally = Tally()
    user = shop["user"]
    anonymous = Shopper(server.url, tally)
    _browse(anonymous, shop["products"])  # warm: cached pages and API answers now live in Redis
    assert tally.count(server_errors=True) == 0
    started = time.monotonic()

    redis_server.process.kill()  # SIGKILL: no goodbye
    redis_server.process.wait()
    tally.phase = "outage"
    _browse(anonymous, shop["products"])
    anonymous.post(f"/basket/add/{shop['products'][0].pk}/", {"quantity": 1})
    assert anonymous.get("/basket/")[0] == 200
    api_shopper = Shopper(server.url, tally, bearer=str(AccessToken.for_user(user)))
    api_number = _checkout_by_api(api_shopper, shop["products"][2])
    _checkout_by_pages(Shopper(server.url, tally), shop)
    status, _, _ = api_shopper.post(
        f"/api/v1/support/conversations/{shop['conversation'].pk}/messages/", json_body={"body": "Any news?"}
    )
    assert status == 201
    outage_seconds = time.monotonic() - started

    redis_server.start()
    time.sleep(1.2)  # the cache's circuit (CACHE_CIRCUIT_OPEN_SECONDS=1) lets the next call try Redis
    tally.phase = "recovered"
    _browse(anonymous, shop["products"])
    _browse(anonymous, shop["products"])

    print(
        f"\nredis outage e2e: {tally.count()} requests ({tally.count('outage')} while Redis was down, "
        f"{outage_seconds:.1f}s), 5xx: {tally.count(server_errors=True)} "
        f"(outage {tally.count('outage', server_errors=True)}, after {tally.count('recovered', server_errors=True)})"
    )
    assert tally.server_errors() == []
    orders = list(Order.objects.order_by("number"))
    assert len(orders) == 2
    assert {o.user_id for o in orders} == {user.pk}
    assert Order.objects.get(number=api_number).status == "Paid"
    assert Message.objects.filter(conversation=shop["conversation"], body="Any news?").exists()
    assert not any(server.mail_dir.glob("*.log")), "no mail can leave while the queue is down"
    _deliver_after_recovery(server, redis_server, tmp_path, [o.number for o in orders])
