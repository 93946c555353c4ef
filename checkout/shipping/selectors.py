"""Reads on shipping: the methods a basket can use for an address, with their cost, and the delivery
terms every page that promises something about delivery reads (one place, so they agree with checkout)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from oscar.core.loading import get_class, get_model

Repository = get_class("shipping.repository", "Repository")
Selector = get_class("partner.strategy", "Selector")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")
WeightBased = get_model("shipping", "WeightBased")


@dataclass(frozen=True)
class DeliveryTerm:
    """One shipping method as a shopper reads it. Amounts are what the method charges a customer in the
    shop's country (`SHOP_TAX_COUNTRY`), tax included, as checkout computes them (ADR 0012), in
    `currency`; `from_price`..`to_price` is the range for weight-based methods. `free_over` is compared
    with the basket's total including tax, as entered."""

    code: str
    name: str
    currency: str
    price_per_order: Decimal | None = None
    price_per_item: Decimal | None = None
    from_price: Decimal | None = None
    to_price: Decimal | None = None
    free_over: Decimal | None = None


def delivery_terms() -> list[DeliveryTerm]:
    """Every shipping method the shop has set up, by name: what it costs and when it is free."""
    currency = settings.OSCAR_DEFAULT_CURRENCY
    strategy = Selector().strategy()  # the shop's country: whose tax checkout adds without an address

    def gross(amount: Decimal | None) -> Decimal | None:
        if amount is None or not hasattr(strategy, "charge_taxed"):
            return amount
        return strategy.charge_taxed(amount=amount, currency=currency).incl_tax

    terms = [
        DeliveryTerm(
            code=method.code,
            name=method.name,
            currency=currency,
            price_per_order=gross(method.price_per_order),
            price_per_item=gross(method.price_per_item or None),
            free_over=method.free_shipping_threshold,
        )  # fmt: skip
        for method in OrderAndItemCharges.objects.all()
    ]
    for method in WeightBased.objects.prefetch_related("bands"):
        charges = sorted(band.charge for band in method.bands.all())
        terms.append(
            DeliveryTerm(
                code=method.code,
                name=method.name,
                currency=currency,
                from_price=gross(charges[0] if charges else Decimal("0.00")),
                to_price=gross(charges[-1] if charges else None),
            )  # fmt: skip
        )
    return sorted(terms, key=lambda term: (term.name, term.code))


def free_delivery_threshold() -> DeliveryTerm | None:
    """The method that becomes free at the lowest basket total (None when none does): what a "free
    delivery over ..." line may promise."""
    free = [term for term in delivery_terms() if term.free_over is not None]
    return min(free, key=lambda term: (term.free_over, term.name), default=None)


def shipping_country_get(*, code: str):
    """The shipping country with ISO code `code`, or None when we do not ship there."""
    return Country.objects.filter(iso_3166_1_a2=code.upper(), is_shipping_country=True).first()


def shipping_methods_for_basket(*, basket, country) -> list[tuple[object, object]]:
    """[(method, charge)] for `basket` shipped to `country`, cheapest first; charge is an Oscar Price."""
    address = ShippingAddress(country=country)
    methods = Repository().get_shipping_methods(basket, shipping_addr=address)
    priced = [(method, method.calculate(basket)) for method in methods]
    priced.sort(key=lambda pair: (pair[1].excl_tax, pair[0].name))
    return priced
