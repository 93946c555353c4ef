"""Phone one-time codes: ask for one, then prove you hold the phone.

Rules (settings in `integrations/accounts.py`):
- a code is 6 digits from `secrets`, made by the worker that sends it, and stored only as an HMAC;
- it lives `OTP_TTL_SECONDS` (5 min); asking again supersedes the previous code (one live code);
- 5 wrong tries lock it; a new code must be asked for;
- per phone: one code per `OTP_RESEND_SECONDS`, at most `OTP_PHONE_PER_HOUR`; per IP: `OTP_IP_PER_HOUR`.
Counting uses the challenge rows themselves, so limits hold across processes and restarts.
The worker makes and texts the code (`phone_codes.py`, run by `tasks.phone_code_deliver`).
"""

from __future__ import annotations

import hmac
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .errors import OtpInvalid, OtpLocked, OtpRateLimited, SmsDeliveryFailed
from .models import PhoneChallenge
from .phone import phone_normalise
from .phone_codes import phone_code_hash
from .tasks import phone_code_deliver

QUEUE_UNAVAILABLE = "The task queue is unavailable; no code was sent."
logger = logging.getLogger(__name__)


def _check_rate_limits(*, phone: str, ip: str | None) -> None:
    now = timezone.now()
    recent = PhoneChallenge.objects.filter(created_at__gte=now - timedelta(hours=1))
    latest = recent.filter(phone=phone).order_by("-created_at").first()
    if latest and (now - latest.created_at).total_seconds() < settings.OTP_RESEND_SECONDS:
        wait = settings.OTP_RESEND_SECONDS - int((now - latest.created_at).total_seconds())
        raise OtpRateLimited(retry_after=max(wait, 1), detail=f"Wait {max(wait, 1)} seconds before asking again.")
    if recent.filter(phone=phone).count() >= settings.OTP_PHONE_PER_HOUR:
        raise OtpRateLimited(retry_after=3600)
    if ip and recent.filter(requested_ip=ip).count() >= settings.OTP_IP_PER_HOUR:
        raise OtpRateLimited(retry_after=3600)


def otp_request(
    *, phone: str, purpose: str = PhoneChallenge.Purpose.LOGIN, ip: str | None = None, user=None
) -> PhoneChallenge:
    """Open a challenge for `phone` and have the worker text the code. Raises OtpRateLimited,
    SmsDeliveryFailed (when the worker reports failure within `OTP_DELIVERY_WAIT_SECONDS`, or the code
    could not be handed to the worker at all)."""
    phone = phone_normalise(phone)
    with transaction.atomic():
        _check_rate_limits(phone=phone, ip=ip)
        now = timezone.now()
        PhoneChallenge.objects.select_for_update().filter(
            phone=phone, purpose=purpose, consumed_at__isnull=True, superseded_at__isnull=True
        ).update(superseded_at=now)
        challenge = PhoneChallenge.objects.create(
            phone=phone,
            purpose=purpose,
            user=user,
            expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS),
            requested_ip=ip,
        )
        transaction.on_commit(lambda: phone_code_enqueue(challenge_id=challenge.pk))
    return otp_delivery_wait(challenge_id=challenge.pk)


def phone_code_enqueue(*, challenge_id: int) -> bool:
    """Hand the code's delivery to the worker. A code is interactive: the client waits for it, and one
    that arrives minutes later is no use, so it does not go through the outbox (ADR 0024). When the
    queue is down (Redis), the challenge is marked failed at once and the client gets an honest 503
    (`SmsDeliveryFailed`) instead of waiting for a code that will never come. Never raises."""
    try:
        phone_code_deliver(challenge_id)
    except Exception:  # noqa: BLE001 - whatever the queue's failure, the request must answer
        logger.warning("phone code %s: the task queue is unavailable", challenge_id, exc_info=True)
        PhoneChallenge.objects.filter(pk=challenge_id, delivery=PhoneChallenge.Delivery.PENDING).update(
            delivery=PhoneChallenge.Delivery.FAILED, delivery_error=QUEUE_UNAVAILABLE
        )
        return False
    return True


def otp_delivery_wait(*, challenge_id: int, timeout: float | None = None) -> PhoneChallenge:
    """Wait (briefly) for the worker to report on delivery. In-process huey reports at once."""
    deadline = time.monotonic() + (settings.OTP_DELIVERY_WAIT_SECONDS if timeout is None else timeout)
    while True:
        challenge = PhoneChallenge.objects.get(pk=challenge_id)
        if challenge.delivery == PhoneChallenge.Delivery.FAILED:
            raise SmsDeliveryFailed()
        if challenge.delivery == PhoneChallenge.Delivery.SENT or time.monotonic() >= deadline:
            return challenge
        time.sleep(0.1)


def otp_verify(*, phone: str, code: str, purpose: str = PhoneChallenge.Purpose.LOGIN, user=None) -> PhoneChallenge:
    """Consume the live challenge if `code` is right. Raises OtpInvalid or OtpLocked.

    A wrong try is counted (and committed) before the error is raised.
    """
    phone = phone_normalise(phone)
    error: Exception | None = None
    with transaction.atomic():
        challenge = (
            PhoneChallenge.objects.select_for_update()
            .filter(
                phone=phone,
                purpose=purpose,
                consumed_at__isnull=True,
                superseded_at__isnull=True,
                expires_at__gt=timezone.now(),
                delivery=PhoneChallenge.Delivery.SENT,
                **({"user": user} if user is not None else {}),
            )
            .order_by("-created_at")
            .first()
        )
        if challenge is None:
            raise OtpInvalid()
        if challenge.failed_attempts >= settings.OTP_MAX_ATTEMPTS:
            raise OtpLocked()
        expected = phone_code_hash(challenge_id=challenge.pk, phone=phone, code=str(code).strip())
        if challenge.code_hash and hmac.compare_digest(expected, challenge.code_hash):
            challenge.consumed_at = timezone.now()
            challenge.save(update_fields=["consumed_at"])
            return challenge
        challenge.failed_attempts += 1
        challenge.save(update_fields=["failed_attempts"])
        error = OtpLocked() if challenge.failed_attempts >= settings.OTP_MAX_ATTEMPTS else OtpInvalid()
    raise error
