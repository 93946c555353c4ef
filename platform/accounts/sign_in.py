"""What happens whenever someone signs in through the API, whichever way they proved who they are."""

from __future__ import annotations

import time

from django.contrib.auth import user_logged_in
from rest_framework_simplejwt.tokens import RefreshToken

AUTH_TIME_CLAIM = "auth_time"  # when the person proved who they are (OpenID Connect's name)


def refresh_token_for_sign_in(*, user) -> RefreshToken:
    """A refresh token stamped with the sign-in time; refreshing keeps the stamp, so
    `token_auth_age` tells how long ago the person last gave a password, code or Google token."""
    refresh = RefreshToken.for_user(user)
    refresh[AUTH_TIME_CLAIM] = int(time.time())
    return refresh


def token_pair_issue(*, request, user) -> dict[str, str]:
    """The JWT pair for `user`, after the sign-in side effects: Django's `user_logged_in` (last_login; the
    basket app's receiver merges the client's anonymous basket, as for pages)."""
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    refresh = refresh_token_for_sign_in(user=user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def access_token_issue(*, user) -> str:
    """An access token for `user` alone, as a sign-in would give (for scripts and tests)."""
    return str(refresh_token_for_sign_in(user=user).access_token)


def token_auth_age(*, token) -> float | None:
    """Seconds since the sign-in behind a validated token (None: not a token from a sign-in)."""
    if token is None or not hasattr(token, "get"):
        return None
    auth_time = token.get(AUTH_TIME_CLAIM)
    return time.time() - auth_time if isinstance(auth_time, int | float) else None
