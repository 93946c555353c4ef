"""Making a phone code and texting it: the worker's half of a phone challenge (`otp.py` opens and checks
challenges). `tasks.phone_code_deliver` runs it; nothing here enqueues (ADR 0040). The code is made here,
in the worker, so it never travels through the task queue; only its HMAC is stored (ADR 0006).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction

from .models import PhoneChallenge
from .sms import SmsSendError, get_sms_backend

CODE_DIGITS = 6


def phone_code_hash(*, challenge_id: int, phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{challenge_id}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def phone_code_deliver(*, challenge_id: int) -> str:
    """Make the code, keep its hash, text it. Runs in the worker; safe to run twice (a challenge that
    is no longer pending is left alone). Returns the delivery state."""
    with transaction.atomic():
        challenge = PhoneChallenge.objects.select_for_update().get(pk=challenge_id)
        if challenge.delivery != PhoneChallenge.Delivery.PENDING or not challenge.is_live:
            return challenge.delivery
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        challenge.code_hash = phone_code_hash(challenge_id=challenge.pk, phone=challenge.phone, code=code)
        minutes = max(settings.OTP_TTL_SECONDS // 60, 1)
        body = f"{code} is your {settings.OSCAR_SHOP_NAME} code. It expires in {minutes} minutes. Never share it."
        try:
            get_sms_backend().send(to=challenge.phone, body=body)
        except SmsSendError as exc:
            challenge.delivery = PhoneChallenge.Delivery.FAILED
            challenge.delivery_error = str(exc)[:300]
            challenge.code_hash = ""
        else:
            challenge.delivery = PhoneChallenge.Delivery.SENT
        challenge.save(update_fields=["code_hash", "delivery", "delivery_error"])
        return challenge.delivery
