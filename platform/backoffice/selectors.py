"""Reads for the back office: the dashboard figures.

All money is `Decimal` in the shop's default currency (orders in other currencies are not summed into
it); all windows are aware UTC and end now. "Today" starts at 00:00 UTC; "7 days" and "30 days" start at
00:00 UTC six and twenty-nine days ago, so each window includes today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from oscar.core.loading import get_model

from apibase.money import money_round
from catalogue.selectors import stock_free_expression, stock_threshold_expression
from checkout.basket.selectors import baskets_recovered_count
from checkout.order import statuses as order_statuses

Order = get_model("order", "Order")
Line = get_model("order", "Line")
StockRecord = get_model("partner", "StockRecord")

#: Orders whose money the shop has (or had and keeps): they count as revenue and towards top sellers.
REVENUE_STATUSES: tuple[str, ...] = order_statuses.REVENUE
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PeriodFigures:
    label: str
    days: int
    orders: int
    revenue: Decimal


@dataclass(frozen=True)
class LowStockRow:
    stockrecord_id: int
    product_id: int
    title: str
    partner: str
    partner_sku: str
    free: int
    threshold: int


@dataclass(frozen=True)
class TopSellerRow:
    product_id: int | None
    title: str
    quantity: int
    revenue: Decimal


@dataclass(frozen=True)
class DashboardFigures:
    currency: str
    periods: list[PeriodFigures]
    orders_by_status: dict[str, int]
    revenue_by_day: list[tuple[dt.date, Decimal]]
    low_stock: list[LowStockRow] = field(default_factory=list)
    top_sellers: list[TopSellerRow] = field(default_factory=list)
    #: baskets restored from an abandoned-basket reminder and ordered, in the last 30 days (ADR 0046)
    recovered_baskets: int = 0


def _day_start(now: dt.datetime, days_back: int) -> dt.datetime:
    today = now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - dt.timedelta(days=days_back)


def dashboard_period_figures(*, now: dt.datetime, currency: str) -> list[PeriodFigures]:
    """Orders placed (any status) and revenue (REVENUE_STATUSES, `currency` only) per window."""
    windows = (("Today", 1), ("7 days", 7), ("30 days", 30))
    aggregates = {}
    for _label, days in windows:
        since = Q(date_placed__gte=_day_start(now, days - 1), date_placed__lte=now)
        paid = since & Q(status__in=REVENUE_STATUSES, currency=currency)
        aggregates[f"orders_{days}"] = Count("pk", filter=since)
        aggregates[f"revenue_{days}"] = Sum("total_incl_tax", filter=paid)
    row = Order.objects.aggregate(**aggregates)
    return [
        PeriodFigures(
            label=label, days=days, orders=row[f"orders_{days}"], revenue=money_round(row[f"revenue_{days}"] or ZERO)
        )
        for label, days in windows
    ]


def dashboard_orders_by_status() -> dict[str, int]:
    """Every pipeline status (in pipeline order, zero when none), then any other status found."""
    counts = dict(Order.objects.values_list("status").annotate(n=Count("pk")).order_by())
    ordered = {status: counts.pop(status, 0) for status in order_statuses.PIPELINE}
    ordered.update(sorted(counts.items(), key=lambda item: str(item[0])))
    return ordered


def dashboard_revenue_by_day(*, now: dt.datetime, currency: str, days: int = 30) -> list[tuple[dt.date, Decimal]]:
    start = _day_start(now, days - 1)
    rows = (
        Order.objects.filter(
            date_placed__gte=start, date_placed__lte=now, status__in=REVENUE_STATUSES, currency=currency
        )
        .annotate(day=TruncDate("date_placed", tzinfo=dt.UTC))
        .values("day")
        .annotate(total=Sum("total_incl_tax"))
        .order_by()
    )
    totals = {row["day"]: row["total"] for row in rows}
    return [
        (day, money_round(totals.get(day) or ZERO))
        for day in ((start + dt.timedelta(days=i)).date() for i in range(days))
    ]


def dashboard_low_stock(*, limit: int = 10) -> list[LowStockRow]:
    """Stock records whose free units (in stock - allocated) are below their threshold, fewest first."""
    rows = (
        StockRecord.objects.filter(num_in_stock__isnull=False)
        .annotate(free=stock_free_expression(), threshold=stock_threshold_expression())
        .filter(free__lt=F("threshold"))
        .select_related("product", "partner")
        .order_by("free", "pk")[:limit]
    )
    return [
        LowStockRow(
            stockrecord_id=record.pk,
            product_id=record.product_id,
            title=record.product.get_title(),
            partner=record.partner.name,
            partner_sku=record.partner_sku,
            free=record.free,
            threshold=record.threshold,
        )
        for record in rows
    ]


def dashboard_top_sellers(*, now: dt.datetime, currency: str, days: int = 30, limit: int = 5) -> list[TopSellerRow]:
    """Products by units sold in paid orders of the last `days` days; revenue from their line prices."""
    rows = (
        Line.objects.filter(
            order__date_placed__gte=_day_start(now, days - 1),
            order__date_placed__lte=now,
            order__status__in=REVENUE_STATUSES,
            order__currency=currency,
        )
        .values("product_id")
        .annotate(quantity=Sum("quantity"), revenue=Sum("line_price_incl_tax"), title=Max("title"))
        .order_by("-quantity", "-revenue", "product_id")[:limit]
    )
    return [
        TopSellerRow(row["product_id"], row["title"], row["quantity"], money_round(row["revenue"] or ZERO))
        for row in rows
    ]


def dashboard_figures(*, now: dt.datetime | None = None, currency: str | None = None) -> DashboardFigures:
    now = now or timezone.now()
    currency = currency or settings.OSCAR_DEFAULT_CURRENCY
    return DashboardFigures(
        currency=currency,
        periods=dashboard_period_figures(now=now, currency=currency),
        orders_by_status=dashboard_orders_by_status(),
        revenue_by_day=dashboard_revenue_by_day(now=now, currency=currency),
        low_stock=dashboard_low_stock(),
        top_sellers=dashboard_top_sellers(now=now, currency=currency),
        recovered_baskets=baskets_recovered_count(since=_day_start(now, 29)),
    )
