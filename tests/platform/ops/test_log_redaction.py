"""The redaction filter scrubs emails, phone numbers, secrets and card numbers from messages, their
arguments, extra fields and tracebacks, and leaves ordinary log text alone (docs/adr/0035)."""

from __future__ import annotations

import logging

import pytest

from ops.log_redaction import RedactingFilter, redact

JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjo0Mn0.4pcPyMD09olPSyXnrXCjTwXyr4BsezdI1AVTmud2fU4"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail to ann.lee+shop@example.co.uk failed", "mail to [email] failed"),
        ("GET /search/?q=ann%40example.com", "GET /search/?q=[email]"),
        ("SMS to +44 7700 900123", "SMS to [phone]"),
        ("SMS to +447700900123.", "SMS to [phone]."),
        ("call 07700 900123 or (020) 7946 0958", "call [phone] or [phone]"),
        ("call 0044 20 7946 0958", "call [phone]"),
        ("US +1 (555) 123-4567 or 555-123-4567", "US [phone] or [phone]"),
        ("paid with 4242 4242 4242 4242", "paid with [card]"),
        ("paid with 4111-1111-1111-1111 and 378282246310005", "paid with [card] and [card]"),
        ("Authorization: Bearer abc.def-ghi", "Authorization: [redacted] [token]"),
        ("header Bearer 9f8e7d6c5b4a", "header Bearer [token]"),
        (f"access {JWT} refused", "access [jwt] refused"),
        ("keys sk_live_51HxYzAbCdEf012345 pk_test_TYooMQauvdEDq54NiTphI7jx", "keys [secret] [secret]"),
        (
            "webhook whsec_5Lq7RbXoF0cMw1zJd9 secret pi_3MtwBw_secret_YrKJUKribcBjcG8H",
            "webhook [secret] secret [secret]",
        ),
        (
            "reset /auth/password/reset/key/1-cbyx8z-6e3f1c0d9a8b7c6d5e4f3a2b1c0d9e8f/",
            "reset /auth/password/reset/key/1-cbyx8z-[token]/",
        ),
        (
            "/auth/confirm-email/MQ:1vTqXk:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRg/",
            "/auth/confirm-email/MQ:1vTqXk:[token]/",
        ),
        ("session q8w7e6r5t4y3u2i1o0pasdfghjklzxcv1", "session [token]"),
        ("{'email': 'x', 'password1': 'plum-orchard'}", "{'email': 'x', 'password1': '[redacted]'}"),
        ('{"token": "abc", "refresh": "r"}', '{"token": "[redacted]", "refresh": "r"}'),
        ("GET /pay/?key=100001:abc&x=1", "GET /pay/?key=[redacted]&x=1"),
    ],
)
def test_each_kind_is_replaced_by_its_marker(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-06 06:00:45,257 order 100042 took 0.123s",
        "from 10.0.0.1 and 192.168.1.20 via [::1]:8000",
        "GET /catalogue/linen-shirt_12/ 200 12ms",
        "image Linen_Shirt_2024_Red-XL.jpg saved",
        "Executing checkout.order.tasks.orders_unpaid_cancel: 8c4b2a1e-3f5d-4c6b-9a7e-1d2c3b4a5f6e",
        "import job 12: validate 5000/10000 rows",
        "0024_remove_duplicate_attributes applied",
        "outbox message 17 (order.placed): attempt 3 failed: ConnectionError",
        "Order #100001: payment successful, placing order",
    ],
)
def test_ordinary_log_text_is_left_alone(text):
    assert redact(text) == text


def _record(msg, *args, exc_info=None, **extra) -> logging.LogRecord:
    record = logging.LogRecord("hypex.test", logging.INFO, __file__, 1, msg, args or None, exc_info)
    for name, value in extra.items():
        setattr(record, name, value)
    return record


def test_arguments_are_merged_then_scrubbed():
    record = _record("welcome mail to %s (%s)", "ann@example.com", "+447700900123")

    RedactingFilter().filter(record)

    assert record.getMessage() == "welcome mail to [email] ([phone])"
    assert record.args == ()


def test_extra_fields_are_scrubbed_but_the_request_and_trace_ids_are_not():
    request_id = "6e3f1c0d9a8b7c6d5e4f3a2b1c0d9e8f"
    record = _record(
        "x",
        to="ann@example.com",
        payload={"phone": "+447700900123", "n": 3},
        request_id=request_id,
        trace_id=request_id,
    )

    RedactingFilter().filter(record)

    assert record.to == "[email]" and record.payload == {"phone": "[phone]", "n": 3}
    assert record.request_id == request_id and record.trace_id == request_id


def test_exception_text_is_scrubbed_and_formatters_print_the_scrubbed_text():
    from ops.log_format import JsonLineFormatter, PlainFormatter

    try:
        raise ValueError("no account for ann@example.com with card 4242424242424242")
    except ValueError:
        import sys

        record = _record("sign-in failed", exc_info=sys.exc_info())

    RedactingFilter().filter(record)

    assert "ann@example.com" not in record.exc_text and "[email]" in record.exc_text and "[card]" in record.exc_text
    for formatter in (JsonLineFormatter(), PlainFormatter()):
        line = formatter.format(record)
        assert "ann@example.com" not in line and "4242424242424242" not in line and "[email]" in line
    assert record.exc_info is not None  # left for any other handler


def test_a_broken_log_call_is_logged_not_raised():
    record = _record("%s and %s", "ann@example.com")

    assert RedactingFilter().filter(record) is True

    assert "arguments could not be formatted" in record.getMessage()
    assert "ann@example.com" not in record.getMessage()


def test_scrubbing_twice_changes_nothing():
    record = _record("mail to %s", "ann@example.com")
    RedactingFilter().filter(record)
    record.msg = "changed"  # a second handler's filter must not redo the work

    RedactingFilter().filter(record)

    assert record.getMessage() == "changed"
