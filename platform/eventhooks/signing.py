"""Signing deliveries like Stripe does (ADR 0048).

`Hypex-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the secret>`, with
one `v1=` per valid secret (two while a rotated secret is still valid, the newest first). A receiver
recomputes the HMAC over the raw body with its secret, compares in constant time with any `v1`, and
refuses timestamps too far from its clock (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

SIGNATURE_HEADER = "Hypex-Signature"
EVENT_ID_HEADER = "Hypex-Event-Id"
EVENT_TYPE_HEADER = "Hypex-Event-Type"
SECRET_PREFIX = "whsec_"


def secret_generate() -> str:
    """A new endpoint secret: `whsec_` and 48 hex digits (192 random bits). The whole string is the key."""
    return SECRET_PREFIX + secrets.token_hex(24)


def event_body(*, event_id: str, event_type: str, created: int, data: dict) -> bytes:
    """The JSON body of a delivery: the same bytes for every attempt of an event."""
    payload = {"id": event_id, "type": event_type, "created": created, "data": data}
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def signature_compute(*, secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(*, secrets_: list[str], timestamp: int, body: bytes) -> str:
    """The `Hypex-Signature` value: `t=...,v1=...[,v1=...]`."""
    parts = [f"t={timestamp}"]
    parts += [f"v1={signature_compute(secret=secret, timestamp=timestamp, body=body)}" for secret in secrets_]
    return ",".join(parts)


def signature_verify(*, header: str, body: bytes, secret: str, now: int, tolerance: int = 300) -> bool:
    """What a receiver does (the README's snippet; tests use it): True if one `v1` matches `secret` and
    the timestamp is within `tolerance` seconds of `now`."""
    items = [part.split("=", 1) for part in header.split(",") if "=" in part]
    timestamps = [value for key, value in items if key == "t"]
    if len(timestamps) != 1 or not timestamps[0].isdigit() or abs(now - int(timestamps[0])) > tolerance:
        return False
    expected = signature_compute(secret=secret, timestamp=int(timestamps[0]), body=body)
    return any(hmac.compare_digest(expected, value) for key, value in items if key == "v1")
