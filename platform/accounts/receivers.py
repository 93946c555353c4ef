"""Side reactions to account events (emails), never core flows."""

from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from .services import welcome_email_schedule


@receiver(user_signed_up, dispatch_uid="accounts.welcome_email_on_signup")
def send_welcome_email_on_signup(sender, request, user, **kwargs) -> None:
    if user.email:
        welcome_email_schedule(user_id=user.pk)
