"""Demo customers: a few shopper accounts with names, a verified email and a default address, who place
the order history (`demodata.history`) and write the reviews (`demodata.reviews`).

All share one password (`DEMO_CUSTOMER_PASSWORD`), hashed once per run: hashing is deliberately slow
(about half a second each on this machine), and the accounts are for trying the shop, not for security.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from oscar.core.loading import get_model

UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")

DEMO_CUSTOMER_PASSWORD = "hypex-customer"
# (first name, last name, street, town, postcode); emails are first.last@hypex.test
CUSTOMERS = [
    ("Maya", "Patel", "14 Elm Grove", "Bristol", "BS6 5AB"),
    ("Tom", "Hughes", "3 Castle Street", "Cardiff", "CF10 1BT"),
    ("Grace", "Okafor", "27 Mill Lane", "Leeds", "LS6 2DN"),
    ("Ewan", "MacLeod", "8 Harbour Road", "Edinburgh", "EH6 6LT"),
    ("Sofia", "Rossi", "51 Victoria Road", "Manchester", "M20 4PZ"),
    ("Daniel", "Kim", "2 Orchard Close", "Oxford", "OX2 7HT"),
    ("Aisha", "Rahman", "19 Station Road", "Birmingham", "B13 9QS"),
    ("Oliver", "Bennett", "6 The Green", "York", "YO24 1AH"),
    ("Hannah", "Schmidt", "40 Church Street", "Brighton", "BN1 1UJ"),
    ("Liam", "O'Brien", "11 Quay Street", "Belfast", "BT1 3FE"),
    ("Chloe", "Martin", "73 High Street", "Norwich", "NR2 1PL"),
    ("Samuel", "Adeyemi", "5 Park Terrace", "Glasgow", "G3 6BY"),
]


def customer_email(first_name: str, last_name: str) -> str:
    return f"{first_name}.{last_name}".lower().replace("'", "") + "@hypex.test"


def customers_build() -> list:
    """The demo customers, created once each with a verified email and a default address; returns them
    in `CUSTOMERS` order."""
    users = get_user_model().objects
    emails = [customer_email(first, last) for first, last, *_ in CUSTOMERS]
    existing = {user.email: user for user in users.filter(email__in=emails)}
    password = None
    gb = None
    for (first, last, line1, town, postcode), email in zip(CUSTOMERS, emails, strict=True):
        if email in existing:
            continue
        password = password or make_password(DEMO_CUSTOMER_PASSWORD)
        gb = gb or Country.objects.get(iso_3166_1_a2="GB")
        user = users.create_user(email=email, password=None, first_name=first, last_name=last)
        user.password = password
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        UserAddress.objects.create(
            user=user, first_name=first, last_name=last, line1=line1, line4=town, postcode=postcode, country=gb,
            is_default_for_shipping=True, is_default_for_billing=True,
        )  # fmt: skip
        existing[email] = user
    return [existing[email] for email in emails]
