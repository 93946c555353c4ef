"""Settings shared by every environment. Integrations live in `integrations/`, one module each.

Without any environment this is the embedded default: SQLite file, local-memory cache, in-memory channel
layer, huey in-process. `DATABASE_URL` switches to PostgreSQL; `REDIS_URL` switches cache, channel layer
and task queue to Redis.
"""

from config.env import BASE_DIR, env_bool, env_list, env_str

from .integrations.accounts import *  # noqa: F401,F403
from .integrations.allauth import *  # noqa: F401,F403
from .integrations.audittrail import *  # noqa: F401,F403
from .integrations.cache import *  # noqa: F401,F403
from .integrations.channels import *  # noqa: F401,F403
from .integrations.database import *  # noqa: F401,F403
from .integrations.dataexchange import *  # noqa: F401,F403
from .integrations.drf import *  # noqa: F401,F403
from .integrations.email import *  # noqa: F401,F403
from .integrations.huey import *  # noqa: F401,F403
from .integrations.metrics import *  # noqa: F401,F403
from .integrations.observability import *  # noqa: F401,F403
from .integrations.oscar import *  # noqa: F401,F403
from .integrations.oscar import OSCAR_CONTEXT_PROCESSORS, OSCAR_INSTALLED_APPS
from .integrations.outbox import *  # noqa: F401,F403
from .integrations.payments import *  # noqa: F401,F403
from .integrations.proxies import *  # noqa: F401,F403
from .integrations.requests import *  # noqa: F401,F403
from .integrations.server import *  # noqa: F401,F403
from .integrations.storage import *  # noqa: F401,F403
from .integrations.support import *  # noqa: F401,F403
from .integrations.unfold import *  # noqa: F401,F403
from .integrations.wagtail import *  # noqa: F401,F403
from .integrations.webhooks import *  # noqa: F401,F403

SECRET_KEY = env_str("SECRET_KEY", "django-insecure-hypex-local-development-only-key-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "apibase.views.csrf_failure"  # the API error format under /api/

INSTALLED_APPS = [
    # Before staticfiles: `manage.py runserver` is daphne's (HTTP and websockets), imported only when it
    # runs. daphne's own app would import Twisted in every process at start-up (docs/adr/0038).
    "ops.runserver",
    # unfold must come before django.contrib.admin, or it silently does nothing.
    "backoffice.admin_site.BackOfficeSiteConfig",  # unfold, with the back office's site (app list per user)
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "unfold.contrib.import_export",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Hypex platform apps (platform/ is a folder on sys.path, not a package).
    "accounts",
    "apibase",
    "ops",
    "sideeffects",
    "eventhooks",
    "mediafiles",
    "demodata",
    *OSCAR_INSTALLED_APPS,
    "catalogue.alerts",  # back-in-stock alerts over Oscar's ProductAlert (ADR 0046)
    "checkout.invoices",
    "checkout.returns",
    # Wagtail
    "content",
    "wagtail.contrib.forms",
    # Wagtail's apps, without the routers of its v3 API (never mounted here) at start-up (docs/adr/0038).
    "content.wagtail_apps.RedirectsConfig",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "content.wagtail_apps.SnippetsConfig",
    "content.wagtail_apps.DocumentsConfig",
    "content.wagtail_apps.ImagesConfig",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    # API
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Accounts for pages
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    # Realtime, tasks, back office
    "channels",
    "huey.contrib.djhuey",
    "import_export",
    "support",
    "dataexchange",
    # The staff audit trail (ADR 0047): django-auditlog with our log entry model.
    "auditlog",
    "audittrail",
    # Back office last: it re-registers every app's admin classes on unfold's.
    "backoffice",
]

MIDDLEWARE = [
    # First: every answer carries X-Request-ID and every log line the request id (docs/adr/0035).
    "ops.request_id.request_id_middleware",
    # `/metrics` for Prometheus, answered before host checks (scrapes address pods by IP; ADR 0033) and
    # before the access log (a scrape every 15 s is not worth a line).
    "ops.metrics.http.metrics_endpoint_middleware",
    # One access line per request, timed around everything below. Neither reads the query string.
    "ops.access_log.access_log_middleware",
    # Rate, latency, status and database work of every request, by route name.
    "ops.metrics.http.request_metrics_middleware",
    # Before anything reads the query string or the path: NUL characters and over-long query strings
    # never reach a view (400/414).
    "apibase.request_guard.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The request's base URL, for links in the emails its changes schedule (ops.site_url, ADR 0031).
    "ops.site_url.served_base_url_middleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Oscar's basket needs the authenticated user.
    "checkout.basket.middleware.BasketMiddleware",
    # Staff requests (/admin/, /cms/, /api/v1/staff/) are audited with their source; others are not (ADR 0047).
    "audittrail.context.AuditSourceMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A new page that the editor's autosave and a click on Publish create at once: the losing request is
    # sent to the saved page with a message instead of a 500 (content/page_add_race.py).
    "content.page_add_race.PageAddRaceMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.template.context_processors.media",
                "django.template.context_processors.static",
                "django.contrib.messages.context_processors.messages",
                *OSCAR_CONTEXT_PROCESSORS,
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/auth/login/"
LOGIN_REDIRECT_URL = "/"

# Oscar's migrations use AutoField; keep it so forks need no extra migrations.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
SITE_ID = 1

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / env_str("STATIC_ROOT", "var/static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / env_str("MEDIA_ROOT", "var/media")
# Files uploaded by staff and shoppers are served by nginx in production, by Django when this is on.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN.
SESSION_COOKIE_HTTPONLY = True
# Sessions live in the database, never only in Redis: a shopper stays signed in (basket, checkout)
# while Redis is away (ADR 0025).
SESSION_ENGINE = "ops.sessions"  # Django's database sessions, one query less per new session
