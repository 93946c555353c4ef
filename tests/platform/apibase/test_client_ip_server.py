"""The ASGI server as the Dockerfile runs it, behind one proxy: a client that rotates a forged
`X-Forwarded-For` prefix is still one client for the phone-code limit (docs/adr/0027).

This is the attack that got 25 SMS codes sent from one client: daphne's `--proxy-headers` made the
left-most, client-written entry the request's REMOTE_ADDR, and DRF read the whole header. uvicorn, the
server since ADR 53, trusts X-Forwarded-For from loopback by default: the shipped worker turns that off."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from accounts.models import PhoneChallenge
from tests.asgi_server import AsgiServer

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
CLIENT = "203.0.113.7"


def _dockerfile_command() -> list[str]:
    line = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD "))
    return json.loads(line[4:])


def _post(url: str, body: dict, forwarded_for: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - a local test server
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded_for},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_shipped_server_sends_no_more_phone_codes_to_one_client_than_the_limit():
    env = {"TRUSTED_PROXY_COUNT": "1", "OTP_RESEND_SECONDS": "0", "OTP_IP_PER_HOUR": "20"}
    # The test server runs what the image runs (AsgiServer's "shipped" server: the same config file).
    assert _dockerfile_command() == ["gunicorn", "-c", "config/gunicorn.py", "config.asgi:application"]
    server = AsgiServer(env=env).start()
    url = f"{server.url}/api/v1/auth/otp/request/"
    try:
        statuses = [
            # A proxy appended CLIENT (what it saw); the client wrote a new left part every time.
            _post(url, {"phone": f"+4479111234{i:02d}"}, f"198.51.100.{i}, {CLIENT}")
            for i in range(25)
        ]
    finally:
        server.stop()

    assert statuses == [202] * 20 + [429] * 5
    assert PhoneChallenge.objects.filter(delivery=PhoneChallenge.Delivery.SENT).count() == 20
    assert set(PhoneChallenge.objects.values_list("requested_ip", flat=True)) == {CLIENT}
