"""Reads on baskets: which basket a request means, and the basket as pages and the API show it."""

from __future__ import annotations

from decimal import Decimal

from oscar.core.loading import get_class, get_model

from apibase.money import Money

from .tokens import basket_from_token, basket_token, request_basket_token

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")


def basket_for_request(*, request, create: bool = False):
    """The open basket of this client, with its strategy set.

    Signed in: the account's open basket (the same on every device). Anonymous: the basket named by
    the `X-Basket-Token` header or Oscar's basket cookie. Without one, an unsaved empty basket, or a
    new saved one when `create` is true.
    """
    user = request.user
    basket = None
    if user.is_authenticated:
        basket = Basket.open.filter(owner=user).order_by("-pk").first()
        if basket is None and create:
            basket = Basket.open.create(owner=user)
    else:
        token = request_basket_token(request)
        basket = basket_from_token(token) if token else None
        if basket is None and create:
            basket = Basket.objects.create()
    if basket is None:
        basket = Basket()
    basket.strategy = Selector().strategy(request=request, user=user)
    return basket


def _line_view(line, currency) -> dict:
    info = line.purchase_info
    availability = info.availability
    warning = line.get_warning() if line.pk else None
    return {
        "id": line.pk,
        "product": line.product_id,
        "title": line.product.get_title(),
        "upc": line.product.upc,
        "sku": line.stockrecord.partner_sku if line.stockrecord else None,
        "quantity": line.quantity,
        "options": [
            {"code": attribute.option.code, "name": attribute.option.name, "value": attribute.value}
            for attribute in line.attributes.all()
        ],
        "unit_price": Money(currency, line.unit_price_excl_tax, line.unit_price_incl_tax),
        "line_price": Money(currency, line.line_price_excl_tax, line.line_price_incl_tax),
        "line_price_incl_discounts": Money(
            currency, line.line_price_excl_tax_incl_discounts, line.line_price_incl_tax_incl_discounts
        ),
        "is_available": availability.is_available_to_buy,
        "availability": str(availability.message),
        "warning": str(warning) if warning else None,
    }


def basket_view(*, basket) -> dict:
    """The basket as the API shows it: lines, each discount with its name, vouchers and totals."""
    currency = basket.currency if basket.pk else None
    lines = [_line_view(line, currency) for line in basket.all_lines()] if basket.pk else []
    discounts = [
        {
            "name": application["name"],
            "description": application["description"] or "",
            "voucher": application["voucher"].code if application["voucher"] else None,
            "amount": application["discount"],
        }
        for application in basket.offer_applications
        if application["discount"] > 0 or application["result"].affects_shipping
    ]
    vouchers = [{"code": voucher.code, "name": voucher.name} for voucher in basket.vouchers.all()] if basket.pk else []
    tax_known = basket.is_tax_known
    return {
        "id": basket.pk,
        "status": basket.status,
        "token": basket_token(basket) if basket.pk and basket.owner_id is None else None,
        "num_items": basket.num_items if basket.pk else 0,
        "lines": lines,
        "discounts": discounts,
        "vouchers": vouchers,
        "total_discount": Money(currency, basket.total_discount, None) if basket.pk else Money(None, Decimal(0), None),
        "total": Money(
            currency,
            basket.total_excl_tax if basket.pk else Decimal("0.00"),
            (basket.total_incl_tax if tax_known else None) if basket.pk else Decimal("0.00"),
        ),
        "is_tax_known": tax_known,
    }
