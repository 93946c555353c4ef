"""The one money format: rounding, the API's money object and the string pages show."""

from decimal import Decimal

import pytest
from django.utils import translation
from oscar.apps.partner.prices import FixedPrice, Unavailable

from apibase.money import Money, MoneySerializer, money_display, money_round, money_text


def test_money_is_rounded_to_the_cent_half_up():
    assert money_round(Decimal("1.005")) == Decimal("1.01")
    assert money_round(Decimal("1.004")) == Decimal("1.00")
    assert money_round(Decimal("2.5")) == Decimal("2.50")
    assert str(money_round(Decimal("7"))) == "7.00"


def test_amounts_are_written_as_decimal_strings_with_two_places():
    assert money_text(Decimal("12.5")) == "12.50"
    assert money_text(Decimal("0")) == "0.00"
    assert money_text(Decimal("1234567.891")) == "1234567.89"
    assert money_text(None) is None


def test_the_api_money_object_has_currency_and_both_amounts_as_strings():
    price = Money(currency="GBP", excl_tax=Decimal("25"), incl_tax=Decimal("30.004"))
    expected = {"currency": "GBP", "excl_tax": "25.00", "incl_tax": "30.00"}
    assert price.as_api() == expected
    assert dict(MoneySerializer(price).data) == expected  # the REST API and the CMS API write alike


def test_unknown_amounts_are_null_in_the_api_and_empty_on_pages():
    unknown = Money(currency=None, excl_tax=None, incl_tax=None)
    assert unknown.as_api() == {"currency": None, "excl_tax": None, "incl_tax": None}
    assert dict(MoneySerializer(unknown).data) == unknown.as_api()
    assert unknown.amount is None and unknown.display == ""
    assert money_display(None, "GBP") == ""


def test_pages_show_the_amount_with_tax_when_known_else_without():
    assert Money("GBP", Decimal("25.00"), Decimal("30.00")).amount == Decimal("30.00")
    assert Money("GBP", Decimal("25.00"), None).amount == Decimal("25.00")
    assert Money("GBP", Decimal("0.00"), Decimal("0.00")).display == "£0.00"


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [(Decimal("12.5"), "GBP", "£12.50"), (Decimal("1234.5"), "EUR", "€1,234.50"), (Decimal("3"), "USD", "US$3.00")],
)
def test_the_display_string_is_the_currency_in_the_active_language(amount, currency, shown):
    with translation.override("en-gb"):
        assert Money(currency, amount, amount).display == shown == money_display(amount, currency)


def test_the_display_string_follows_the_language_of_the_request():
    with translation.override("de"):
        assert money_display(Decimal("1234.5"), "EUR") == "1.234,50\xa0€"


def test_a_strategy_price_becomes_money():
    assert Money.from_price(Unavailable()) == Money(None, None, None)
    taxed = FixedPrice(currency="GBP", excl_tax=Decimal("10.00"), tax=Decimal("2.00"))
    assert Money.from_price(taxed) == Money("GBP", Decimal("10.00"), Decimal("12.00"))
    untaxed = FixedPrice(currency="GBP", excl_tax=Decimal("10.00"))  # tax not known yet
    assert Money.from_price(untaxed) == Money("GBP", Decimal("10.00"), None)
