"""Hypex's shipping repository: the methods the merchant set up in the back office.

Fixed price and free-over-a-threshold methods are Oscar's `OrderAndItemCharges` (price per order and
per item, `free_shipping_threshold`); weight bands are `WeightBased`. A method linked to countries is
offered only for addresses in one of them; a method without countries ships everywhere. Without an
address (the basket page's estimate) every method counts. A shop with no method at all ships free
(Oscar's default).
Every charge is taxed by the destination's rule (`methods.DestinationTaxed`, ADR 0012): at the rate of
the address's country, or without an address at the rate the basket is priced at.
Pages (Oscar's checkout) and the API (`checkout.shipping.selectors`) both ask this repository.
"""

from __future__ import annotations

from django.db.models import Count, Q
from oscar.apps.shipping import repository
from oscar.core.loading import get_class, get_model

from .methods import DestinationTaxed

Selector = get_class("partner.strategy", "Selector")
OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")
WeightBased = get_model("shipping", "WeightBased")


def _country_code(shipping_addr) -> str | None:
    if shipping_addr is None:
        return None
    code = getattr(shipping_addr, "country_id", None)  # the ISO code, without loading the Country
    if code:
        return code
    return getattr(getattr(shipping_addr, "country", None), "iso_3166_1_a2", None)


def _destination_strategy(basket, country: str | None):
    """The strategy that taxes for `country`: the basket's own when it already does (or when there is
    no address), else a new one for the destination. None when the basket's strategy cannot tax a
    charge (a strategy other than Hypex's)."""
    current = basket.strategy if basket.has_strategy else None
    if current is not None and (country is None or getattr(current, "tax_country", None) == country):
        return current if hasattr(current, "charge_taxed") else None
    return Selector().strategy(user=basket.owner, country=country)


def _methods_for_country(basket, country: str | None) -> list | None:
    """The merchant's methods that ship to `country` (all of them without one), sorted by name; None
    when the shop has no method at all. Read once per basket object, that is once per request: the
    checkout pages ask for the methods several times in one request (skip conditions, the chosen
    method, the totals, the placement), ADR 0010 "Checkout queries"."""
    memo = basket.__dict__.setdefault("_shipping_methods_by_country", {})
    if country not in memo:
        methods = []
        for model in (OrderAndItemCharges, WeightBased):
            queryset = model.objects.annotate(num_countries=Count("countries"))
            if country:
                queryset = queryset.filter(Q(num_countries=0) | Q(countries__iso_3166_1_a2=country)).distinct()
            methods.extend(queryset)
        if not methods and not (OrderAndItemCharges.objects.exists() or WeightBased.objects.exists()):
            memo[country] = None
        else:
            memo[country] = sorted(methods, key=lambda method: (method.name, method.code))
    methods = memo[country]
    return list(methods) if methods is not None else None


class Repository(repository.Repository):
    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        country = _country_code(shipping_addr)
        methods = _methods_for_country(basket, country)
        if methods is None:
            return list(self.methods)
        strategy = _destination_strategy(basket, country)
        if strategy is None:
            return methods
        return [DestinationTaxed(method, strategy) for method in methods]

    def get_default_shipping_method(self, basket, shipping_addr=None, **kwargs):
        """The basket page's estimate: the cheapest method available for this basket (incl. tax when
        known), so the total shown is one the shopper can really get."""
        methods = self.get_shipping_methods(basket, shipping_addr=shipping_addr, **kwargs)
        if not methods:
            return super().get_default_shipping_method(basket, shipping_addr=shipping_addr, **kwargs)

        def cost(method):
            charge = method.calculate(basket)
            return charge.incl_tax if charge.is_tax_known else charge.excl_tax

        return min(methods, key=lambda method: (cost(method), method.name))

    def method_by_code(self, *, basket, shipping_addr, code: str):
        """The method with `code` among those available for this basket and address, or None."""
        for method in self.get_shipping_methods(basket, shipping_addr=shipping_addr):
            if method.code == code:
                return method
        return None
