"""django-unfold: the back office at /admin/. Navigation grouped by job lives in backoffice.navigation."""

from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

UNFOLD = {
    "SITE_TITLE": "Hypex back office",
    "SITE_HEADER": "Hypex",
    "SITE_SYMBOL": "storefront",
    # The shop's icon on every back-office tab (the storefront's base.html and Wagtail's /cms/ link it too).
    "SITE_FAVICONS": [
        {
            "rel": "icon",
            "sizes": "any",
            "type": "image/svg+xml",
            "href": lambda request: static("hypex/img/favicon.svg"),
        },
        {
            "rel": "icon",
            "sizes": "48x48",
            "type": "image/x-icon",
            "href": lambda request: static("hypex/img/favicon.ico"),
        },
    ],
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
