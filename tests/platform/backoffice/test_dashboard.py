"""The admin home's figures, computed from known orders made with Oscar's factories."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test import factories

from backoffice.selectors import dashboard_figures

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)


def _order(*, price: str, quantity: int = 1, status: str = "Paid", placed: dt.datetime, title: str = "Lamp"):
    product = factories.create_product(title=title, price=Decimal(price), num_in_stock=100)
    basket = factories.create_basket(empty=True)
    basket.add_product(product, quantity=quantity)
    order = factories.create_order(basket=basket, status=status)
    Order.objects.filter(pk=order.pk).update(date_placed=placed)
    return order


def test_revenue_and_orders_count_per_window_only_paid_orders_count_as_revenue():
    _order(price="10.00", placed=NOW - dt.timedelta(hours=1))  # today
    _order(price="20.50", placed=NOW.replace(hour=0, minute=0))  # today, first minute
    _order(price="5.00", status="Pending payment", placed=NOW - dt.timedelta(hours=2))  # today, unpaid
    _order(price="7.25", status="Shipped", placed=NOW - dt.timedelta(days=3))  # 7 days
    _order(price="100.00", status="Cancelled", placed=NOW - dt.timedelta(days=4))  # 7 days, cancelled
    _order(price="3.00", status="Delivered", placed=NOW - dt.timedelta(days=20))  # 30 days
    _order(price="999.00", placed=NOW - dt.timedelta(days=31))  # outside every window

    periods = {p.days: p for p in dashboard_figures(now=NOW).periods}

    assert (periods[1].orders, periods[1].revenue) == (3, Decimal("30.50"))
    assert (periods[7].orders, periods[7].revenue) == (5, Decimal("37.75"))
    assert (periods[30].orders, periods[30].revenue) == (6, Decimal("40.75"))
    assert all(isinstance(p.revenue, Decimal) for p in periods.values())


def test_orders_by_status_lists_every_pipeline_status():
    _order(price="1.00", status="Paid", placed=NOW)
    _order(price="1.00", status="Paid", placed=NOW)
    _order(price="1.00", status="Shipped", placed=NOW)

    by_status = dashboard_figures(now=NOW).orders_by_status

    assert by_status["Paid"] == 2
    assert by_status["Shipped"] == 1
    assert by_status["Cancelled"] == 0
    assert list(by_status)[0] == "Pending payment"


def test_revenue_by_day_has_thirty_days_ending_today():
    _order(price="4.00", placed=NOW - dt.timedelta(days=1))
    _order(price="6.00", placed=NOW - dt.timedelta(days=1, hours=1))

    days = dashboard_figures(now=NOW).revenue_by_day

    assert len(days) == 30
    assert days[-1][0] == NOW.date()
    assert dict(days)[(NOW - dt.timedelta(days=1)).date()] == Decimal("10.00")


def test_top_sellers_rank_products_by_units_in_paid_orders():
    _order(price="2.00", quantity=5, title="Mug", placed=NOW)
    _order(price="50.00", quantity=2, title="Chair", placed=NOW)
    _order(price="1.00", quantity=9, title="Unpaid", status="Pending payment", placed=NOW)

    top = dashboard_figures(now=NOW).top_sellers

    assert [(row.title, row.quantity, row.revenue) for row in top] == [
        ("Mug", 5, Decimal("10.00")),
        ("Chair", 2, Decimal("100.00")),
    ]


def test_low_stock_uses_the_threshold_and_counts_allocations():
    low = factories.create_product(title="Almost gone", price=Decimal("1.00"), num_in_stock=10)
    record = low.stockrecords.get()
    record.low_stock_threshold = 8
    record.num_allocated = 3
    record.save()
    factories.create_product(title="Plenty", price=Decimal("1.00"), num_in_stock=50)
    factories.create_product(title="Default threshold", price=Decimal("1.00"), num_in_stock=4)

    rows = dashboard_figures(now=NOW).low_stock

    found = [(row.title, row.free, row.threshold) for row in rows]
    assert found == [("Default threshold", 4, 5), ("Almost gone", 7, 8)]


def test_admin_home_shows_the_figures_and_charts(client, staff_user):
    _order(price="12.00", quantity=3, title="Teapot", placed=timezone.now())
    client.force_login(staff_user)

    html = client.get("/admin/").content.decode()

    assert 'id="hypex-dashboard"' in html
    assert "£36.00" in html
    assert "Teapot" in html
    assert 'data-type="line"' in html and 'data-type="bar"' in html
    assert "unfold/js/chart/chart.js" in html
