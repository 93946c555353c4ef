"""How a refund prices the units of an order line: below the payment services, the payment selectors and
the credit notes (`checkout.invoices`), which all need it and must not import each other (ADR 0040)."""

from __future__ import annotations

from decimal import Decimal

from apibase.money import money_round


def line_refund_amount(line, *, already: int, quantity: int) -> Decimal:
    """The price paid for `quantity` more units of `line` (after discounts), `already` units having been
    refunded. Units are priced at the rounded unit price, and the line's last units take the rounding
    remainder, so refunding a whole line one unit at a time adds up to exactly what was paid for it."""
    if quantity <= 0:
        return Decimal("0.00")
    unit = money_round(line.line_price_incl_tax / line.quantity)
    if already + quantity == line.quantity:
        return line.line_price_incl_tax - unit * already
    return unit * quantity
