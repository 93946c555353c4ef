"""Reads on shipping: the methods a basket can use for an address, with their cost."""

from __future__ import annotations

from oscar.core.loading import get_class, get_model

Repository = get_class("shipping.repository", "Repository")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")


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
