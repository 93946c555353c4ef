"""Wagtail: the CMS at /cms/; pages served at / by the catch-all at the end of config/urls.py."""

from config.env import env_str

WAGTAIL_SITE_NAME = "Hypex"
# Where the shop is served when no request says so (emails sent from a command or task, the CMS admin's
# links): `ops.site_url.site_base_url` prefers the request's own host (ADR 0031).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_LOGIN_URL = "/admin/login/"
# The content API (/api/v1/cms/): absolute URLs in its answers, and a cap on ?limit=.
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 50
WAGTAILAPI_SEARCH_ENABLED = True
# CMS images: the raster formats /media/ serves inline (ADR 0026); no SVG, no AVIF.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# The CMS admin fetches nothing from the internet: no upgrade check, no Gravatar avatars.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
