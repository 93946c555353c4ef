"""Who owns which URL.

/admin/ unfold back office · /cms/ Wagtail admin · /auth/ allauth · /api/v1/ the REST API ·
/healthz, /readyz probes · /robots.txt, /favicon.ico · Oscar's storefront (/catalogue/, /basket/,
/checkout/, /accounts/, ...) · and Wagtail's page catch-all last, so it owns `/`.
"""

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as WagtailPageSitemap
from wagtail.documents import urls as wagtaildocs_urls

from backoffice.support_report import support_report
from backoffice.views import task_monitor
from catalogue.feeds import NewProductsAtomFeed, NewProductsFeed
from catalogue.sitemaps import CategorySitemap, ProductSitemap
from mediafiles.views import media_serve
from ops.favicon import favicon_ico
from ops.robots import robots_txt
from ops.sitemaps import sitemap
from ops.views import healthz, readyz
from support.views import agent_console, conversation_rate_page

SITEMAPS = {"pages": WagtailPageSitemap, "categories": CategorySitemap, "products": ProductSitemap}

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("favicon.ico", favicon_ico, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("catalogue/feed/", NewProductsFeed(), name="catalogue-feed"),
    path("catalogue/feed/atom/", NewProductsAtomFeed(), name="catalogue-feed-atom"),
    path("readyz", readyz, name="readyz"),
    path("admin/support/console/", agent_console, name="support-console"),
    path("admin/support/report/", support_report, name="support-report"),
    path("admin/tasks/", task_monitor, name="backoffice-tasks"),
    path("admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("auth/", include("allauth.urls")),
    path("api/v1/", include("config.api_router")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("payments/", include("checkout.payment.urls")),
    path("invoices/", include("checkout.invoices.urls")),
    path("returns/", include("checkout.returns.urls")),
    path("support/rate/<str:token>/", conversation_rate_page, name="support-rate"),
    path("", include("accounts.urls")),
    path("", include("catalogue.alerts.urls")),  # before Oscar's: its alert URLs, our views (ADR 0046)
    path("", include(apps.get_app_config("oscar").urls[0])),
]

# Uploaded files, when SERVE_MEDIA (or DEBUG) is on; the view answers 404 otherwise. nginx serves
# them in production with the same headers (ADR 0026).
urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", media_serve, name="media"))

# JSON error format under /api/ (apibase.views), the site's pages elsewhere.
handler404 = "apibase.views.not_found"
# A bug: 500 in the error format under /api/; a busy database (pool exhausted): 503 (docs/adr/0028).
handler500 = "apibase.server_errors.server_error"

# Wagtail serves every other path, "/" included: keep it last.
urlpatterns.append(path("", include(wagtail_urls)))
