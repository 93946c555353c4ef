"""Google sign-in for apps: an ID token (from Google Sign-In on the device) becomes a Hypex account.

The token is verified by allauth's Google provider against Google's published keys (issuer, audience =
our client id, expiry, signature). The account is then found or made the way allauth does it for pages:
by the Google account id, else by a Google-verified email (connecting Google to that account), else a
new account with the verified email.
"""

from __future__ import annotations

from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialApp
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from .errors import GoogleEmailUnverified, GoogleNotConfigured, GoogleTokenInvalid


def _verified_email(sociallogin) -> str | None:
    for address in sociallogin.email_addresses:
        if address.verified:
            return address.email
    return None


def google_sign_in(*, request, id_token: str):
    """Return the (active) user for a Google ID token. Raises GoogleTokenInvalid/NotConfigured."""
    try:
        provider = get_social_adapter().get_provider(request, "google")
    except SocialApp.DoesNotExist as exc:
        raise GoogleNotConfigured() from exc
    try:
        sociallogin = provider.verify_token(request, {"id_token": id_token})
    except ValidationError as exc:
        raise GoogleTokenInvalid() from exc

    with transaction.atomic():
        sociallogin.lookup()
        if sociallogin.is_existing:
            user = sociallogin.user
            if sociallogin.account.pk is None:  # matched by verified email: connect Google to it
                sociallogin.connect(request, user)
        else:
            email = _verified_email(sociallogin)
            user_model = get_user_model()
            if email and user_model.objects.filter(email__iexact=email).exists():
                user = user_model.objects.get(email__iexact=email)
                sociallogin.connect(request, user)
            elif (
                not email
                and sociallogin.user.email
                and (user_model.objects.filter(email__iexact=sociallogin.user.email).exists())
            ):
                raise GoogleEmailUnverified()
            else:
                sociallogin.user.set_unusable_password()
                sociallogin.save(request)
                user = sociallogin.user
    if not user.is_active:
        raise GoogleTokenInvalid(detail="This account is closed.")
    return user
