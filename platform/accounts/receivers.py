"""Side reactions to account events (emails), never core flows."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_signed_up
from django.conf import settings
from django.dispatch import receiver

from .services import welcome_email_schedule


@receiver(email_confirmed, dispatch_uid="accounts.welcome_email_on_email_confirmed")
def send_welcome_email_on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    """The welcome email goes out once the address is verified (a link in the verification email, or
    the API's email/verify), never to an address nobody has shown they own. At most once per user."""
    welcome_email_schedule(user_id=email_address.user_id, request=request)


@receiver(user_signed_up, dispatch_uid="accounts.welcome_email_on_verified_signup")
def send_welcome_email_on_verified_signup(sender, request, user, **kwargs) -> None:
    """An account whose address needs no verification (verified by Google at sign-up, or a shop that
    does not verify addresses) is welcomed at once."""
    if not user.email:
        return
    verified = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    if verified or settings.ACCOUNT_EMAIL_VERIFICATION == "none":
        welcome_email_schedule(user_id=user.pk, request=request)
