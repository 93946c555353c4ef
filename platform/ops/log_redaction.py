"""The safety net under "no personal data in logs" (docs/adr/0035).

Code logs ids, not people: an order number, a user's primary key, a masked phone. `RedactingFilter`,
on every handler in the logging settings, scrubs what slips through anyway from the message (after
its arguments are merged in), from string fields passed with `extra=`, and from the exception and
stack text, before any formatter sees the record:

| kind | examples | becomes |
|---|---|---|
| secrets named as such | `password=...`, `"token": "..."`, `?key=...`, `Authorization: ...` | `password=[redacted]` |
| bearer credentials | `Bearer abc...`, `Basic dXNl...` | `Bearer [token]` |
| JWTs | `eyJhbGciOi....eyJ....sig` | `[jwt]` |
| Stripe-style keys | `sk_live_...`, `pk_test_...`, `whsec_...`, `pi_..._secret_...` | `[secret]` |
| email addresses | `ann@example.com`, `ann%40example.com` | `[email]` |
| card numbers | 13-19 digits passing the Luhn check, spaces or dashes allowed | `[card]` |
| phone numbers | `+44 7700 900123`, `0044 ...`, `07700 900123`, `(020) 7946 0958`, `555-123-4567` | `[phone]` |
| long random tokens | reset tokens, session keys, hashes, signatures, verification keys (see below) | `[token]` |

Long random tokens are 32+ hex digits or lowercase letters and digits, or 20+ base64url characters
that mix upper case, lower case and digits the way random text does (not `Linen_Shirt_2024_Red`).

It is a pattern match, so it misses what does not look like its kind (a password is just a word: never
log one) and now and then hides a harmless number that happens to pass the Luhn check. The request id
and trace id fields are never touched.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from .log_context import CONTEXT_FIELDS

_NAMED_SECRET = re.compile(
    r"""(?ix)
    (?P<name>\b(?:password\d?|passwd|pass|secret|client_secret|token|access_token|refresh_token|api[_-]?key
        |authorization|cookie|csrfmiddlewaretoken|sessionid)\b)
    (?P<sep>["']?\s*[:=]\s*["']?)
    (?P<value>[^\s"',&;}\]]+)
    """
)
_QUERY_SECRET = re.compile(r"(?i)(?P<name>[?&;](?:key|token|signature|sig|code)=)(?P<value>[^&\s#\"']+)")
_AUTH_SCHEME = re.compile(r"(?i)\b(?P<scheme>Bearer|Basic|Token|JWT)\s+[A-Za-z0-9\-._~+/]+=*")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_STRIPE_KEY = re.compile(
    r"\b(?:(?:sk|pk|rk)_(?:live|test)_|whsec_)[A-Za-z0-9]{8,}|\b[a-z]{2,5}_[A-Za-z0-9]+_secret_[A-Za-z0-9]+"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_CARD = re.compile(r"(?<![\w.+-])(?:\d[ -]?){12,18}\d(?![\w-])")
_PHONE = re.compile(
    r"""(?x)
    (?<![\w.+/-])
    (?:
        (?:\+|00)[1-9](?:[\s().-]{0,2}\d){6,16}           # international: +44 7700 900123, 0044..., +1 (555) 123-4567
      | \(?0\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}             # national with trunk 0: 07700 900123, (020) 7946 0958
      | \(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}                  # North American: 555-123-4567, (555) 123-4567
    )
    (?![\w-])
    """
)
_LONG_LOWER = re.compile(r"(?<![A-Za-z0-9])(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{32,}(?![A-Za-z0-9])")
_LONG_UPPER_HEX = re.compile(r"(?<![A-Za-z0-9])(?=[A-F0-9]*\d)[A-F0-9]{32,}(?![A-Za-z0-9])")
_BASE64ISH = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{20,}={0,2}(?![A-Za-z0-9_-])")


def _luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[card]" if 13 <= len(digits) <= 19 and _luhn_valid(digits) else match.group(0)


def _phone(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[phone]" if 8 <= len(digits) <= 15 else match.group(0)


def _class_of(char: str) -> str:
    return "d" if char.isdigit() else "u" if char.isupper() else "l"


def _random_looking(match: re.Match) -> str:
    """Random base64url (signatures, keys) changes between upper case, lower case and digits at ~60% of
    its characters; words and file names (`Linen_Shirt_2024_Red`) change at word starts only."""
    text = match.group(0)
    alnum = [char for char in text if char.isalnum()]
    if len(alnum) < 20 or not {"u", "l", "d"} <= {_class_of(char) for char in alnum}:
        return text
    changes = sum(_class_of(a) != _class_of(b) for a, b in zip(alnum, alnum[1:], strict=False))
    return "[token]" if changes / (len(alnum) - 1) >= 0.35 else text


_SECRET_WORDS = ("pass", "secret", "token", "key", "authorization", "cookie", "session")
_SCHEME_WORDS = ("bearer", "basic", "token", "jwt")


# (when to try, pattern, replacement): the cheap test skips a rule that cannot match, so an ordinary
# line (`GET /catalogue/ 200 3ms`) costs a few string scans, not eleven regular expressions.
_RULES: list[tuple[Callable[[str, str, int], bool], re.Pattern, str | Callable[[re.Match], str]]] = [
    # first: "Authorization: Bearer x" is a named secret too
    (lambda text, lower, digits: any(word in lower for word in _SCHEME_WORDS), _AUTH_SCHEME, r"\g<scheme> [token]"),
    (
        lambda text, lower, digits: any(word in lower for word in _SECRET_WORDS),
        _NAMED_SECRET,
        r"\g<name>\g<sep>[redacted]",
    ),
    (lambda text, lower, digits: "=" in text, _QUERY_SECRET, r"\g<name>[redacted]"),
    (lambda text, lower, digits: "eyJ" in text, _JWT, "[jwt]"),
    (lambda text, lower, digits: "_" in text, _STRIPE_KEY, "[secret]"),
    (lambda text, lower, digits: "@" in text or "%40" in text, _EMAIL, "[email]"),
    (lambda text, lower, digits: digits >= 13, _CARD, _card),
    (lambda text, lower, digits: digits >= 8, _PHONE, _phone),
    (lambda text, lower, digits: len(text) >= 32, _LONG_LOWER, "[token]"),
    (lambda text, lower, digits: len(text) >= 32, _LONG_UPPER_HEX, "[token]"),
    (lambda text, lower, digits: len(text) >= 20, _BASE64ISH, _random_looking),
]


def redact(text: str) -> str:
    """`text` with every kind in the module docstring replaced by its marker."""
    lower, digits = text.lower(), sum(char.isdigit() for char in text)
    for applies, pattern, replacement in _RULES:
        if applies(text, lower, digits):
            text = pattern.sub(replacement, text)
    return text


def _redact_value(value, depth: int = 0):
    if isinstance(value, str):
        return redact(value)
    if depth < 3 and isinstance(value, dict):
        return {key: _redact_value(item, depth + 1) for key, item in value.items()}
    if depth < 3 and isinstance(value, list | tuple):
        return type(value)(_redact_value(item, depth + 1) for item in value)
    return value


# The attributes every LogRecord has; anything else on a record came with `extra=`.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", *CONTEXT_FIELDS}


class RedactingFilter(logging.Filter):
    """Scrub the record in place (so every handler and formatter after this one sees the scrubbed text).
    The formatted traceback replaces nothing: it is kept in `exc_text`, which formatters print instead
    of formatting `exc_info` again (`ops.log_format.JsonLineFormatter` too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "hypex_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken log call must not break the request that made it
            message = f"{record.msg!r} (arguments could not be formatted: {record.args!r})"
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for name, value in list(vars(record).items()):
            if name not in _RECORD_ATTRIBUTES:
                setattr(record, name, _redact_value(value))
        record.hypex_redacted = True
        return True
