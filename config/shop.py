"""Oscar's root app for Hypex.

Oscar's `Shop` redirects `/` to the catalogue and mounts its dashboard. Hypex gives `/` to Wagtail and
runs the business from the unfold admin, so this subclass drops both. The few dashboard URL names
that Oscar's storefront templates reverse for staff ("Edit this product") stay resolvable and lead to
the matching admin screen.
"""

from django.urls import include, path, reverse
from django.views.generic.base import RedirectView
from oscar.config import Shop


class _AdminRedirect(RedirectView):
    """Send a staff member from an Oscar dashboard link to the matching unfold admin screen."""

    admin_url_name = "admin:index"

    def get_redirect_url(self, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is None:
            return reverse(self.admin_url_name)
        return reverse(self.admin_url_name, args=[pk])


_dashboard_bridge = (
    [
        path("", _AdminRedirect.as_view(), name="index"),
        path(
            "catalogue/products/<int:pk>/",
            _AdminRedirect.as_view(admin_url_name="admin:catalogue_product_change"),
            name="catalogue-product",
        ),
        path(
            "catalogue/categories/<int:pk>/",
            _AdminRedirect.as_view(admin_url_name="admin:catalogue_category_change"),
            name="catalogue-category-update",
        ),
    ],
    "dashboard",
)


class HypexShop(Shop):
    """Oscar's storefront URLs without its `/` redirect and without its dashboard."""

    label = "oscar"

    def get_urls(self):
        urls = []
        for pattern in super().get_urls():
            name = getattr(pattern, "name", None)
            if name == "home":
                continue
            if str(pattern.pattern) == "dashboard/":
                urls.append(path("dashboard/", include(_dashboard_bridge)))
                continue
            urls.append(pattern)
        return urls
