"""Sending text messages through a pluggable backend (`SMS_BACKEND`).

- `accounts.sms.ConsoleSmsBackend`: prints the message on stdout (development, demos), as Django's
  console email backend prints mails: not to the log, which holds no phone numbers or codes
  (docs/adr/0035).
- `accounts.sms.HttpSmsBackend`: POSTs JSON to a provider (`SMS_HTTP_URL`, `SMS_HTTP_TOKEN`,
  `SMS_SENDER`): `{"to": "+44...", "from": "Hypex", "body": "..."}` with `Authorization: Bearer`.
  Any non-2xx answer, timeout or connection error is an `SmsSendError`.
"""

from __future__ import annotations

import logging
import sys
from typing import Protocol, TextIO

import requests
from django.conf import settings
from django.utils.module_loading import import_string

from .phone import phone_mask

logger = logging.getLogger(__name__)


class SmsSendError(Exception):
    """The message could not be handed to the provider."""


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


class ConsoleSmsBackend:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, *, to: str, body: str) -> None:
        self.stream.write(f"SMS to {to}: {body}\n")
        self.stream.flush()


class HttpSmsBackend:
    def __init__(self) -> None:
        self.url = settings.SMS_HTTP_URL
        self.token = settings.SMS_HTTP_TOKEN
        self.sender = settings.SMS_SENDER
        self.timeout = settings.SMS_HTTP_TIMEOUT_SECONDS
        if not self.url:
            raise SmsSendError("SMS_HTTP_URL is not configured")

    def send(self, *, to: str, body: str) -> None:
        try:
            response = requests.post(
                self.url,
                json={"to": to, "from": self.sender, "body": body},
                headers={"Authorization": f"Bearer {self.token}"} if self.token else {},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise SmsSendError(f"provider unreachable: {type(exc).__name__}") from exc
        if not 200 <= response.status_code < 300:
            raise SmsSendError(f"provider answered {response.status_code}")
        logger.info("SMS to %s accepted by provider", phone_mask(to))


def get_sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
