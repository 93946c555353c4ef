"""Money as every reader shows it: one rounding, one API object, one display string.

Money is a `Decimal` with an ISO 4217 currency code. A price comes as `Money`: its currency and its
amounts excluding and including tax, each None when unknown (no price, or tax not known yet).

- `money_round`: to the cent, half up; the one rounding of money (tax splits, report totals).
- `money_text`: the amount as the API and structured data write it, a decimal string with two places
  ("12.50"), None when unknown. `MoneySerializer` (the `Money` object of the OpenAPI schema) and
  `Money.as_api()` (the CMS API, which has no serializer) both write through it.
- `money_display`: the amount as pages and CMS blocks show it ("£12.50"): Oscar's `currency` template
  filter (Babel, the active language, `OSCAR_CURRENCY_FORMAT`), so our pages and Oscar's own basket and
  checkout templates format alike. Call it while the page renders (in a template, `Money.display`), not
  when data is built, so a cached value is formatted for the language of each request.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from oscar.templatetags.currency_filters import currency as oscar_currency
from rest_framework import serializers

CENT = Decimal("0.01")


def money_round(amount: Decimal) -> Decimal:
    """`amount` to the cent, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(amount: Decimal | None) -> str | None:
    """The amount as a decimal string with two places: Decimal("12.5") gives "12.50"; None gives None."""
    if amount is None:
        return None
    return format(money_round(amount if isinstance(amount, Decimal) else Decimal(str(amount))), "f")


def money_display(amount: Decimal | None, currency: str | None) -> str:
    """The amount as a page shows it: (Decimal("12.5"), "GBP") gives "£12.50" in English; "" when unknown."""
    return "" if amount is None else oscar_currency(amount, currency)


@dataclass(frozen=True)
class Money:
    currency: str | None
    excl_tax: Decimal | None
    incl_tax: Decimal | None

    @classmethod
    def from_price(cls, price) -> Money:
        """From a price of Oscar's strategy (`info.price`): all None when there is none; incl. tax None
        while the tax is not known."""
        if not price.exists:
            return cls(currency=None, excl_tax=None, incl_tax=None)
        return cls(
            currency=price.currency,
            excl_tax=price.excl_tax,
            incl_tax=price.incl_tax if price.is_tax_known else None,
        )

    @property
    def amount(self) -> Decimal | None:
        """What a shopper is shown: including tax when it is known, else excluding it."""
        return self.incl_tax if self.incl_tax is not None else self.excl_tax

    @property
    def display(self) -> str:
        return money_display(self.amount, self.currency)

    def as_api(self) -> dict:
        """The API's money object: {"currency", "excl_tax", "incl_tax"}, amounts as `money_text`."""
        return {"currency": self.currency, "excl_tax": money_text(self.excl_tax), "incl_tax": money_text(self.incl_tax)}


class MoneyAmountField(serializers.DecimalField):
    """A money amount in the API: a decimal string with two places (`money_text`)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=12, decimal_places=2, **kwargs)

    def to_representation(self, value):
        return money_text(value)


# The API's money object (`Money` in the schema), read from a `Money`. (No docstring: the schema would
# take it as the component's description.)
class MoneySerializer(serializers.Serializer):
    currency = serializers.CharField(allow_null=True, help_text="ISO 4217 code, e.g. GBP.")
    excl_tax = MoneyAmountField(allow_null=True)
    incl_tax = MoneyAmountField(allow_null=True)
