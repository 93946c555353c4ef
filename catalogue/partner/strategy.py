"""Hypex's pricing strategy: Oscar's stock and structure rules with a merchant-set tax per country.

The merchant sets a rate per country (`checkout.TaxRate`, in the admin) and says once whether stock
record prices (and shipping charges) are entered including tax (`SHOP_PRICES_INCLUDE_TAX`). The tax
country is the destination when one is known (`Selector().strategy(country=...)`: checkout re-prices
the basket for the shipping address chosen), else the signed-in customer's default shipping address's
country, else the shop's (`SHOP_TAX_COUNTRY`). Pages, the API and orders all price through
`Selector().strategy(...)`, so they show the same net, tax and gross amounts; orders store the
basket's prices, and the rate used, as placed (ADR 0012).

Amounts are rounded to the cent, half up (`apibase.money.money_round`), in `_split`: the one place tax
is computed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from oscar.apps.partner import strategy
from oscar.apps.partner.prices import FixedPrice, Unavailable
from oscar.core import prices
from oscar.core.loading import get_model

from apibase.money import money_round


def _split(price: Decimal, rate: Decimal, *, includes_tax: bool) -> tuple[Decimal, Decimal]:
    """(excl_tax, tax) of an entered `price` at `rate`."""
    if includes_tax:
        excl = money_round(price / (1 + rate))
        return excl, price - excl
    return price, money_round(price * rate)


class TaxedPrice(FixedPrice):
    """A product price with the rate its tax was computed at (stored on the order line)."""

    def __init__(self, currency, excl_tax, tax, *, tax_rate: Decimal):
        super().__init__(currency=currency, excl_tax=excl_tax, tax=tax)
        self.tax_rate = tax_rate


class CountryTax:
    """Pricing policy mixin for Oscar's `Structured` strategies: one tax rate (`self.tax_rate`)."""

    tax_rate = Decimal("0")
    prices_include_tax = False

    def _price(self, stockrecord):
        if not stockrecord or stockrecord.price is None:
            return Unavailable()
        rate = self.tax_rate
        excl, tax = _split(stockrecord.price, rate, includes_tax=self.prices_include_tax)
        return TaxedPrice(currency=stockrecord.price_currency, excl_tax=excl, tax=tax, tax_rate=rate)

    def charge_taxed(self, *, amount: Decimal, currency: str) -> prices.Price:
        """A charge the merchant entered like product prices (a shipping charge), taxed at this
        strategy's rate: entered with tax (`prices_include_tax`) it is split, else tax is added."""
        excl, tax = _split(amount, self.tax_rate, includes_tax=self.prices_include_tax)
        return prices.Price(currency=currency, excl_tax=excl, tax=tax)

    def pricing_policy(self, product, stockrecord):
        return self._price(stockrecord)

    def parent_pricing_policy(self, product, children_stock):
        """A parent's price is its lowest variant price: "From" on pages, a parent's `price` in the API and
        CMS blocks (Oscar's default takes the first variant's, whichever order the variants came in)."""
        records = [record for _, record in children_stock if record is not None and record.price is not None]
        return self._price(min(records, key=lambda record: record.price) if records else None)


class Hypex(strategy.UseFirstStockRecord, strategy.StockRequired, CountryTax, strategy.Structured):
    """The country and rate are looked up the first time a price is asked for: Oscar's basket
    middleware builds a strategy on every request, and most requests (probes, static pages) never
    price anything. `country` (ISO code) is the destination when checkout knows it."""

    def __init__(self, request=None, *, user=None, country: str | None = None, prices_include_tax: bool = False):
        super().__init__(request)
        self._user = user
        self._tax_country = country
        self._tax_rate: Decimal | None = None
        self.prices_include_tax = prices_include_tax

    def fetch_for_line(self, line, stockrecord=None):
        """A basket line is priced and checked against the stock record it was added from (the one
        placement locks and allocates), which the basket loads with the line: no query per line.
        Oscar's default looks the product's first stock record up again."""
        return self.fetch_for_product(line.product, stockrecord or line.stockrecord)

    @property
    def tax_country_known(self) -> str | None:
        """The tax country if it was already looked up or given, else None (then nothing has been
        priced with this strategy yet)."""
        return self._tax_country

    @property
    def tax_country(self) -> str:
        """The ISO code of the country whose rate prices are taxed at: the destination given, else the
        one the request carries in `hypex_tax_destination` (the checkout pages set it from the shipping
        address chosen, before the basket is first priced), else the customer's default address's."""
        if self._tax_country is None:
            destination = getattr(self.request, "hypex_tax_destination", None) if self.request is not None else None
            self._tax_country = destination or tax_country_for(self._user)
        return self._tax_country

    @property
    def tax_rate(self) -> Decimal:
        if self._tax_rate is None:
            # Once per country and request: checkout builds a strategy for the destination after the
            # middleware's, and both may tax for the same country.
            memo = self.request.__dict__.setdefault("_hypex_tax_rates", {}) if self.request is not None else {}
            country = self.tax_country
            if country not in memo:
                memo[country] = tax_rate_for(country)
            self._tax_rate = memo[country]
        return self._tax_rate


def tax_country_for(user) -> str:
    if user is not None and getattr(user, "is_authenticated", False):
        address = (
            get_model("address", "UserAddress")
            .objects.filter(user=user, is_default_for_shipping=True)
            .values_list("country_id", flat=True)
            .first()
        )
        if address:
            return address
    return settings.SHOP_TAX_COUNTRY


def tax_rate_for(country_code: str) -> Decimal:
    rate = (
        get_model("checkout", "TaxRate").objects.filter(country_id=country_code).values_list("rate", flat=True).first()
    )
    return rate if rate is not None else Decimal("0")


class Selector:
    def strategy(self, request=None, user=None, country: str | None = None, **kwargs):
        """`country`: the ISO code of the destination to tax for (checkout), else the customer's (see
        `Hypex.tax_country`)."""
        user = user if user is not None else getattr(request, "user", None)
        return Hypex(request, user=user, country=country, prices_include_tax=settings.SHOP_PRICES_INCLUDE_TAX)
