"""Phone numbers in one form: E.164 (+447911123456), parsed with Google's libphonenumber."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError


def phone_normalise(raw: str) -> str:
    """Return the E.164 form of a phone number, or raise ValidationError(code="invalid_phone").

    Numbers without a country prefix are read in `PHONE_DEFAULT_REGION` (GB by default).
    """
    try:
        parsed = phonenumbers.parse(str(raw), settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError("Enter a valid phone number, e.g. +447911123456.", code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError("Enter a valid phone number, e.g. +447911123456.", code="invalid_phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_mask(phone: str) -> str:
    """+447911123456 -> +44*******456, for logs and messages."""
    return phone[:3] + "*" * max(len(phone) - 6, 0) + phone[-3:]
