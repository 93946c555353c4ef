"""Strict input fields and parsing, used wherever the API (or an import, or a filter) reads a value.

- `decimal_parse`: text to a finite Decimal; NaN, sNaN and Infinity are refused, as are exponents
  that would not fit a money column. Every decimal read from a request or a file goes through it.
- `FiniteDecimalField`: DRF's DecimalField on top of `decimal_parse`.
- `StrictCharField` / `StrictTypesMixin`: a string must be a JSON string; DRF's CharField would turn
  0 or 1.5 into "0" and "1.5". Input serializers take the mixin, which checks every CharField they
  declare; StrictCharField is for children of ListField/DictField.

docs/adr/0029-api-contract-checked-in-ci.md
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from rest_framework import serializers

MAX_DECIMAL_DIGITS = 40  # far beyond any price; bounds the work of parsing `1e999999999`


def decimal_parse(raw: str | int | Decimal) -> Decimal:
    """`raw` as a finite Decimal; ValueError when it is not a number, or NaN/sNaN/Infinity."""
    if isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw).strip()
        if not text or len(text) > MAX_DECIMAL_DIGITS:
            raise ValueError("Enter a number.")
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError("Enter a number.") from exc
    if not value.is_finite() or abs(value.adjusted()) > MAX_DECIMAL_DIGITS:
        raise ValueError("Enter a number.")
    return value


class FiniteDecimalField(serializers.DecimalField):
    """A DecimalField that refuses NaN, sNaN, Infinity and absurd exponents (400, never 500)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float | Decimal):
            self.fail("invalid")
        try:
            decimal_parse(data if not isinstance(data, float) else repr(data))
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """A CharField that accepts strings only: a number or boolean is a validation error."""

    default_error_messages = {"invalid": "Not a valid string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictTypesMixin:
    """For input serializers: a writable CharField (EmailField, RegexField, ... too) given anything but
    a string, or null, answers 400 `Not a valid string.` for that field. Put it first in the bases."""

    def to_internal_value(self, data):
        type_errors = {}
        if isinstance(data, Mapping):
            type_errors = {
                field.field_name: ["Not a valid string."]
                for field in self._writable_fields
                if isinstance(field, serializers.CharField)
                and field.field_name in data
                and data[field.field_name] is not None
                and not isinstance(data[field.field_name], str)
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if type_errors and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **type_errors}) from exc
            raise
        if type_errors:
            raise serializers.ValidationError(type_errors)
        return value
