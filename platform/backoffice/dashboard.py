"""unfold's DASHBOARD_CALLBACK: the admin home's figures and charts.

Sales figures show to staff who may view orders, low stock to staff who may view stock records; the
numbers themselves come from `backoffice.selectors.dashboard_figures`.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse

from .selectors import dashboard_figures

PRIMARY = "var(--color-primary-600)"


def _chart(labels: list[str], label: str, values: list) -> str:
    return json.dumps(
        {
            "labels": labels,
            "datasets": [{"label": label, "data": values, "backgroundColor": PRIMARY, "borderColor": PRIMARY}],
        }
    )


def dashboard_callback(request, context: dict) -> dict:
    user = request.user
    can_see_sales = user.has_perm("order.view_order")
    can_see_stock = user.has_perm("partner.view_stockrecord")
    if not (can_see_sales or can_see_stock):
        return context
    figures = dashboard_figures()
    dashboard = {"currency": figures.currency, "sales": can_see_sales, "stock": can_see_stock}
    if can_see_sales:
        dashboard["periods"] = figures.periods
        dashboard["top_sellers"] = figures.top_sellers
        dashboard["orders_by_status"] = figures.orders_by_status
        dashboard["recovered_baskets"] = figures.recovered_baskets
        dashboard["revenue_chart"] = _chart(
            [day.strftime("%d %b") for day, _ in figures.revenue_by_day],
            f"Revenue ({figures.currency})",
            [str(total) for _, total in figures.revenue_by_day],
        )
        dashboard["status_chart"] = _chart(
            list(figures.orders_by_status), "Orders", list(figures.orders_by_status.values())
        )
        dashboard["orders_url"] = reverse("admin:order_order_changelist")
    if can_see_stock:
        dashboard["low_stock"] = figures.low_stock
        dashboard["stockrecord_url"] = reverse("admin:partner_stockrecord_changelist")
    context["dashboard"] = dashboard
    return context


def environment_badge(request) -> list[str] | None:
    """unfold's ENVIRONMENT label: a "Development" badge when DEBUG is on, nothing in production."""
    return ["Development", "info"] if settings.DEBUG else None
