"""The Hypex user: email login (Oscar's AbstractUser), an optional verified phone number."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.abstract_models import AbstractUser


class User(AbstractUser):
    """A shopper or a staff member. Email is the login; `phone` is E.164 (+447700900123) when set."""

    phone = models.CharField(_("phone number"), max_length=20, unique=True, null=True, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["-date_joined"]

    def __str__(self) -> str:
        return self.email
