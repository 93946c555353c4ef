"""/api/v1/: every app's API URLs collected in one place, plus the schema and its docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from apibase.docs_views import RedocView, SwaggerView
from apibase.views import ApiRootView, api_not_found

app_name = "api"

urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("auth/", include("accounts.api.urls")),
    path("me/", include("accounts.api.me_urls")),
    path("support/", include("support.api.urls")),
    path("cms/", include("content.api.urls")),
    path("", include("catalogue.api.urls")),
    path("", include("catalogue.alerts.api.urls")),
    path("", include("checkout.api.urls")),
    path("", include("checkout.order.api.urls")),
    path("", include("checkout.invoices.api.urls")),
    path("", include("checkout.returns.api.urls")),
    path("payments/", include("checkout.payment.api.urls")),
    path("staff/", include("checkout.payment.api.staff_urls")),
    path("staff/", include("checkout.returns.api.staff_urls")),
    path("schema/", SpectacularAPIView.as_view(api_version="1.0.0"), name="schema"),
    path("schema/swagger-ui/", SwaggerView.as_view(url_name="api:schema"), name="swagger-ui"),
    path("schema/redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    # Last: nothing under /api/v1/ falls through to the site's pages (Wagtail's catch-all).
    re_path(r"^.*$", api_not_found, name="not-found"),
]
