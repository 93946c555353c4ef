"""Writes on accounts: registration, sign-in side effects, profile, deletion. Keyword-only, typed,
named <entity>_<action> (HackSoft style). Reads live in selectors.py."""

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import url_str_to_user_pk
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from oscar.core.loading import get_model
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from audittrail.services import audit_user_forget
from ops.site_url import site_base_url
from sideeffects.services import outbox_message_add

from .errors import PasswordResetInvalid, PhoneUnavailable, ReauthenticationRequired
from .mail import WELCOME_TOPIC
from .models import PhoneChallenge

User = get_user_model()


def password_validate(*, password: str, user, field: str = "password") -> None:
    """Django's password validators, with errors attached to `field` for forms and the API."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def welcome_email_send(*, user_id: int, site_url: str | None = None) -> bool:
    """Send the welcome email to a user, with links to `site_url` (the address the shop was served from
    when the email was verified; `SITE_URL` when not given). Returns False when the user no longer
    exists or is inactive."""
    user = User.objects.filter(pk=user_id, is_active=True, email__isnull=False).first()
    if user is None:
        return False
    context = {"user": user, "shop_name": settings.OSCAR_SHOP_NAME, "site_url": site_url or site_base_url()}
    subject = render_to_string("emails/welcome_subject.txt", context).strip()
    body = render_to_string("emails/welcome_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def welcome_email_schedule(*, user_id: int, request=None) -> None:
    """Write the welcome email to the outbox in the caller's transaction (or one of its own), at most
    once per user; it is sent after commit (ADR 0024). Its links go to the address `request` was served
    from (ADR 0031). Called once the user's email address is verified (`receivers.py`)."""
    payload = {"user_id": user_id, "site_url": site_base_url(request=request)}
    with transaction.atomic():
        outbox_message_add(topic=WELCOME_TOPIC, payload=payload, dedupe_key=f"{WELCOME_TOPIC}:{user_id}")


def user_register(*, request, email: str, password: str, first_name: str = "", last_name: str = "") -> User | None:
    """Create an account and send the verification email; returns None when the email is taken.
    The verification email is written to the outbox in the transaction that creates the account, and
    leaves after it commits; the welcome email follows once the address is verified (`receivers.py`).

    Never reveals whether the email was registered: for a taken address, its owner gets an
    "account already exists" email instead, and the caller answers the same way.
    """
    email = User.objects.normalize_email(email).strip()
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    password_validate(password=password, user=candidate)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        get_account_adapter(request).send_account_already_exists_mail(existing.email)
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
            address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
            address.send_confirmation(request, signup=True)
    except IntegrityError:  # registered concurrently: same answer as above
        get_account_adapter(request).send_account_already_exists_mail(email)
        return None
    return user


def user_email_is_unverified(*, user) -> bool:
    """True when allauth tracks the user's email and it is not verified yet (mandatory verification).
    Accounts made outside allauth (staff created in the admin) have no record and count as verified."""
    if not user.email:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=False).exists() and not (
        EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    )


def user_for_phone_sign_in(*, phone: str) -> User:
    """The account that owns `phone`, created (active, ready to shop) when there is none."""
    user = User.objects.filter(phone=phone).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            user = User(phone=phone, email=None)
            user.set_unusable_password()
            user.save()
            return user
    except IntegrityError:
        return User.objects.get(phone=phone)


def user_phone_change(*, user, phone: str) -> User:
    """Give `user` the verified `phone`. Raises PhoneUnavailable when another account holds it."""
    if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        raise PhoneUnavailable()
    user.phone = phone
    try:
        with transaction.atomic():
            user.save(update_fields=["phone"])
    except IntegrityError as exc:
        raise PhoneUnavailable() from exc
    return user


def user_profile_update(*, user, first_name: str | None = None, last_name: str | None = None) -> User:
    fields = []
    if first_name is not None:
        user.first_name = first_name.strip()
        fields.append("first_name")
    if last_name is not None:
        user.last_name = last_name.strip()
        fields.append("last_name")
    if fields:
        user.save(update_fields=fields)
    return user


def user_tokens_revoke(*, user) -> int:
    """Blacklist every outstanding refresh token of the user (sign out of every app)."""
    revoked = 0
    for token in OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False):
        BlacklistedToken.objects.get_or_create(token=token)
        revoked += 1
    return revoked


@transaction.atomic
def user_anonymise(*, user) -> User:
    """Delete a person, keep the merchant's books.

    Personal data goes (name, email, phone, password, addresses, social logins, email records, open
    baskets, wish lists, pending codes); the user row stays, inactive and anonymous, so orders keep
    their customer link, totals, lines and the addresses printed on them.
    """
    get_model("address", "UserAddress").objects.filter(user=user).delete()
    get_model("basket", "Basket").objects.filter(owner=user, status="Open").delete()
    get_model("wishlists", "WishList").objects.filter(owner=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    PhoneChallenge.objects.filter(user=user).delete()
    if user.phone:
        PhoneChallenge.objects.filter(phone=user.phone).delete()
    user_tokens_revoke(user=user)
    user.email = None
    user.phone = None
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.anonymised_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    audit_user_forget(user=user)  # the audit trail keeps what was done, not who they were (ADR 0047)
    return user


def user_reauthenticate(*, user, password: str | None, auth_age: float | None) -> None:
    """Check that the person at the keyboard is the account holder before a sensitive change.

    With `password`, it must be the current one (a field error otherwise). Without it, accounts that
    have a password are refused; accounts without one (Google or phone sign-in) pass when their token
    comes from a sign-in at most REAUTH_MAX_AGE_SECONDS old (`auth_age`, see accounts.sign_in).
    """
    if password:
        if not user.check_password(password):
            raise ValidationError({"password": ["This is not your current password."]})
        return
    if user.has_usable_password():
        raise ReauthenticationRequired()
    if auth_age is None or auth_age > settings.REAUTH_MAX_AGE_SECONDS:
        raise ReauthenticationRequired()


def user_password_change(*, user, new_password: str) -> User:
    """Set a new password (validated) and sign out every app: refresh tokens are blacklisted, and
    access tokens stop working at once because they carry a digest of the old password hash."""
    password_validate(password=new_password, user=user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    user_tokens_revoke(user=user)
    return user


def user_password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password from a reset link's parts (`uid`-`token` as in the emailed URL)."""
    try:
        user = User.objects.get(pk=url_str_to_user_pk(uid), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError, ValidationError) as exc:
        raise PasswordResetInvalid() from exc
    if not default_token_generator.check_token(user, token):
        raise PasswordResetInvalid()
    password_validate(password=new_password, user=user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    user_tokens_revoke(user=user)
    return user
