"""Oscar's shipping method classes, and the wrapper that taxes a charge by the destination's rule.

Oscar's methods (`OrderAndItemCharges`, `WeightBased`) assume shipping is tax-free. Here a charge is
entered like product prices (with or without tax, `SHOP_PRICES_INCLUDE_TAX`) and taxed at the rate of
the country the parcel goes to (ADR 0012). The repository wraps every method it offers in
`DestinationTaxed`; Oscar's offer wrappers then discount the taxed charge.
"""

from __future__ import annotations

from decimal import Decimal

from oscar.apps.shipping.methods import *  # noqa: F401,F403
from oscar.apps.shipping.methods import Base


class DestinationTaxed(Base):
    """`method` with its charge taxed by `strategy` (a pricing strategy for the destination country,
    with `charge_taxed` and `tax_rate`: `catalogue.partner.strategy.Hypex`). Everything else (code,
    name, description, the model's fields) is the wrapped method's."""

    def __init__(self, method, strategy):
        self.method = method
        self.strategy = strategy

    def __getattr__(self, name):
        if name in ("method", "strategy"):  # not set yet (copy, unpickle): no recursion
            raise AttributeError(name)
        return getattr(self.method, name)

    @property
    def code(self):
        return self.method.code

    @property
    def name(self):
        return self.method.name

    @property
    def description(self):
        return getattr(self.method, "description", "")

    @property
    def tax_rate(self) -> Decimal:
        """The rate this method's charge is taxed at (stored on the order as `shipping_tax_rate`)."""
        return self.strategy.tax_rate

    def calculate(self, basket):
        charge = self.method.calculate(basket)  # Oscar's: the entered amount, no tax
        return self.strategy.charge_taxed(amount=charge.excl_tax, currency=charge.currency)

    def discount(self, basket):
        return self.method.discount(basket)


def method_tax_rate(method) -> Decimal | None:
    """The rate `method`'s charge is taxed at, looking through Oscar's offer wrappers; None for a
    method that is not taxed by destination (no shipping required, Oscar's free default)."""
    while method is not None:
        if isinstance(method, DestinationTaxed):
            return method.tax_rate
        method = getattr(method, "method", None)
    return None
