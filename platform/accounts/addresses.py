"""The customer's address book (Oscar's UserAddress): validated per country, one default each for
shipping and billing."""

from __future__ import annotations

from django.db import transaction
from oscar.core.loading import get_model

UserAddress = get_model("address", "UserAddress")

ADDRESS_FIELDS = (
    "title", "first_name", "last_name", "line1", "line2", "line3", "line4", "state", "postcode",
    "country", "phone_number", "notes", "is_default_for_shipping", "is_default_for_billing",
)  # fmt: skip


@transaction.atomic
def address_save(*, user, data: dict, address=None):
    """Create or update an address of `user`. Raises django ValidationError (per field) on bad input,
    including a postcode that is wrong for the country and a duplicate of another address."""
    address = address or UserAddress(user=user)
    for field, value in data.items():
        if field in ADDRESS_FIELDS:
            setattr(address, field, value)
    address.full_clean(exclude=["user", "hash"])
    address.save()
    return address


def address_delete(*, address) -> None:
    address.delete()
