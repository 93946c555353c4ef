"""90 days of demo order history, so the back office's dashboard (revenue by day, orders by status, top
sellers) has a shape: more orders at weekends, a growing trend, a sale weekend, quiet and busy hours,
and statuses that follow an order's age (today's still waiting for payment or paid, last week's shipped,
older ones delivered, a few refunded or cancelled).

These are records of past orders, written in bulk (orders, lines, shipping addresses): a real checkout
costs about 90 queries an order, too slow for hundreds. They take no stock and write no payments or
invoices; the few orders made through the real checkout and payment services are `demodata.orders`'
(ADR 55). Numbers start with `HISTORY_PREFIX`; if any exists the history is not written again.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from apibase.money import money_round
from checkout.order import statuses as st

Order = get_model("order", "Order")
Line = get_model("order", "Line")
ShippingAddress = get_model("order", "ShippingAddress")
StockRecord = get_model("partner", "StockRecord")
TaxRate = get_model("checkout", "TaxRate")
Country = get_model("address", "Country")

HISTORY_PREFIX = "DEMO-"
DAYS = 90
WEEKDAY_FACTOR = (1.1, 0.95, 0.9, 1.0, 0.85, 1.25, 1.45)  # Monday .. Sunday
SALE_DAYS_AGO = (23, 24)  # a sale weekend: twice the orders
HOURS = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 6, 7, 6, 5, 5, 5, 6, 8, 10, 11, 9, 6, 3]  # weight per hour (UTC)
STANDARD_SHIPPING = Decimal("3.50")  # builders.shipping_build's first weight band
FREE_SHIPPING_FROM = Decimal("75.00")
SOLD_RECORDS = 600  # stock records that appear in the history at all


def _orders_per_day(rng: random.Random, days_ago: int, day: dt.date) -> int:
    trend = 6.0 + 7.0 * (DAYS - days_ago) / DAYS  # from 6 to 13 a day over the 90 days
    expected = trend * WEEKDAY_FACTOR[day.weekday()] * (2.0 if days_ago in SALE_DAYS_AGO else 1.0)
    return max(0, round(rng.gauss(expected, expected**0.5)))


def _status(rng: random.Random, days_ago: int) -> str:
    draw = rng.random()
    if days_ago == 0:
        return st.PENDING_PAYMENT if draw < 0.3 else st.PAID
    if days_ago <= 2:
        return st.PAID if draw < 0.25 else st.PROCESSING if draw < 0.6 else st.SHIPPED
    if days_ago <= 6:
        return st.SHIPPED if draw < 0.55 else st.DELIVERED if draw < 0.97 else st.CANCELLED
    return st.DELIVERED if draw < 0.9 else st.REFUNDED if draw < 0.95 else st.CANCELLED


def _when(rng: random.Random, day_start: dt.datetime, now: dt.datetime) -> dt.datetime:
    hour = rng.choices(range(24), weights=HOURS)[0]
    moment = day_start + dt.timedelta(hours=hour, seconds=rng.randrange(3600))
    return min(moment, now - dt.timedelta(minutes=rng.randrange(1, 60)))


def _split(price: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(excl. tax, incl. tax) of a record price, entered with or without tax as the shop is set up."""
    if settings.SHOP_PRICES_INCLUDE_TAX:
        return money_round(price / (1 + rate)), price
    return price, money_round(price * (1 + rate))


def history_build(*, customers: list, rng: random.Random, now: dt.datetime | None = None) -> int:
    """Write the order history unless it exists; returns how many orders were written."""
    if not customers or Order.objects.filter(number__startswith=HISTORY_PREFIX).exists():
        return 0
    sellable = StockRecord.objects.filter(price__gt=0, product__structure__in=["standalone", "child"])
    ids = list(sellable.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    # popularity follows a long tail over a shuffled catalogue (a few best sellers); the tail past
    # SOLD_RECORDS would sell almost nothing, so a big catalogue does not load every record
    rng.shuffle(ids)
    ids = ids[:SOLD_RECORDS]
    by_id = sellable.select_related("product", "partner").in_bulk(ids)
    records = [by_id[pk] for pk in ids]
    popularity = [1 / (rank + 1) ** 0.9 for rank in range(len(records))]
    rate = TaxRate.objects.filter(country_id="GB").values_list("rate", flat=True).first() or Decimal("0")
    gb = Country.objects.get(iso_3166_1_a2="GB")
    addresses = {customer.pk: customer.addresses.first() for customer in customers}
    now = now or timezone.now()
    today = now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    orders, lines, number = [], [], 0
    for days_ago in range(DAYS - 1, -1, -1):
        day_start = today - dt.timedelta(days=days_ago)
        for _ in range(_orders_per_day(rng, days_ago, day_start.date())):
            number += 1
            customer = rng.choice(customers)
            picked = rng.choices(records, weights=popularity, k=rng.choice((1, 1, 1, 2, 2, 3)))
            order_lines = [(record, rng.choice((1, 1, 1, 1, 2, 2, 3))) for record in dict.fromkeys(picked)]
            orders.append(
                _order(number=number, customer=customer, address=addresses[customer.pk], country=gb, rate=rate,
                       status=_status(rng, days_ago), placed=_when(rng, day_start, now), order_lines=order_lines)
            )  # fmt: skip
            lines.append(order_lines)
    with transaction.atomic():
        ShippingAddress.objects.bulk_create([order.shipping_address for order in orders])
        for order in orders:
            order.shipping_address_id = order.shipping_address.pk
        Order.objects.bulk_create(orders)
        Line.objects.bulk_create(
            [_line(order=order, record=record, quantity=quantity, rate=rate)
             for order, order_lines in zip(orders, lines, strict=True) for record, quantity in order_lines]
        )  # fmt: skip
    return len(orders)


def _order(*, number, customer, address, country, rate, status, placed, order_lines):
    goods_excl = goods_incl = Decimal("0.00")
    for record, quantity in order_lines:
        excl, incl = _split(record.price, rate)
        goods_excl, goods_incl = goods_excl + excl * quantity, goods_incl + incl * quantity
    shipping_incl = Decimal("0.00") if goods_incl >= FREE_SHIPPING_FROM else STANDARD_SHIPPING
    shipping_excl = money_round(shipping_incl / (1 + rate))
    shipping = ShippingAddress(
        first_name=customer.first_name, last_name=customer.last_name, country=country,
        line1=address.line1 if address else "", line4=address.line4 if address else "",
        postcode=address.postcode if address else "",
    )  # fmt: skip
    shipping._update_search_text()  # what save() would have done
    return Order(
        number=f"{HISTORY_PREFIX}{number:05d}",
        user=customer,
        currency=settings.OSCAR_DEFAULT_CURRENCY,
        total_excl_tax=goods_excl + shipping_excl,
        total_incl_tax=goods_incl + shipping_incl,
        shipping_excl_tax=shipping_excl,
        shipping_incl_tax=shipping_incl,
        shipping_tax_rate=rate,
        shipping_address=shipping,
        shipping_method="Standard delivery (2-4 days)",
        shipping_code="standard",
        status=status,
        date_placed=placed,
        analytics_tracked=True,  # history: not counted again by the order analytics
    )


def _line(*, order, record, quantity: int, rate: Decimal):
    excl, incl = _split(record.price, rate)
    product = record.product
    return Line(
        order=order, partner=record.partner, partner_name=record.partner.name, partner_sku=record.partner_sku,
        stockrecord=record, product=product, title=product.get_title(), upc=product.upc, quantity=quantity,
        line_price_excl_tax=excl * quantity, line_price_incl_tax=incl * quantity,
        line_price_before_discounts_excl_tax=excl * quantity, line_price_before_discounts_incl_tax=incl * quantity,
        unit_price_excl_tax=excl, unit_price_incl_tax=incl, tax_rate=rate, num_allocated=0,
    )  # fmt: skip
