"""The one unsubscribe link of every marketing mail (ADR 0046): a signed token naming the email address,
the page it opens (`/unsubscribe/<token>/`, no login; a button confirms with POST), and the
`List-Unsubscribe` headers (RFC 2369, one-click POST per RFC 8058) that mail clients show.

Mails that shoppers asked for (back-in-stock alerts) carry the link too; mails the shop sends on its own
(abandoned-basket reminders) check `marketing_opted_out` before they are written.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from .models import MarketingOptOut

_SALT = "accounts.unsubscribe"


def email_normalise(email: str) -> str:
    return (email or "").strip().lower()


def unsubscribe_token(email: str) -> str:
    """A token naming `email`; it does not expire (an old mail's link must still work)."""
    return signing.dumps(email_normalise(email), salt=_SALT, compress=True)


def unsubscribe_email_from_token(token: str) -> str | None:
    """The address a token names, or None when it was not made here."""
    try:
        value = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) and "@" in value else None


def unsubscribe_url(*, email: str, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("marketing-unsubscribe", args=[unsubscribe_token(email)])


def unsubscribe_headers(*, email: str, base_url: str) -> dict[str, str]:
    """Headers for a marketing mail to `email`: mail clients offer their own unsubscribe button."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(email=email, base_url=base_url)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def marketing_opted_out(*, email: str) -> bool:
    """Whether `email` asked for no marketing mail."""
    return MarketingOptOut.objects.filter(email=email_normalise(email)).exists()


def marketing_opt_out_add(*, email: str) -> MarketingOptOut:
    """Record that `email` wants no marketing mail (again: no change)."""
    opt_out, _created = MarketingOptOut.objects.get_or_create(email=email_normalise(email))
    return opt_out
