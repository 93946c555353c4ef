"""django-unfold: the back office at /admin/. Navigation grouped by job lives in backoffice.navigation."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

UNFOLD = {
    "SITE_TITLE": "Hypex back office",
    "SITE_HEADER": "Hypex",
    "SITE_SYMBOL": "storefront",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": True,
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": True,
        "navigation": "backoffice.navigation.sidebar",
    },
    "SITE_URL": "/",
    "LOGIN": {"redirect_after": reverse_lazy("admin:index")},
    "BORDER_RADIUS": "6px",
    "DASHBOARD_CALLBACK": "backoffice.dashboard.dashboard_callback",
    "ENVIRONMENT": "backoffice.dashboard.environment_badge",
}

__all__ = ["UNFOLD", "_"]
