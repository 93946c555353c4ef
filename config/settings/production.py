"""Production: PostgreSQL + Redis, behind nginx, several ASGI workers, huey workers.

Refuses to start without SECRET_KEY and ALLOWED_HOSTS. `manage.py check --deploy` is clean.
"""

import ipaddress

from config.env import env_bool, env_int, env_list, env_str

from .base import *  # noqa: F401,F403
from .integrations.observability import LOG_LEVEL, logging_config
from .integrations.payments import STRIPE_SECRET_KEY, payment_gateways_from_env

DEBUG = False
# One JSON object per line for the log collector (docs/adr/0035); LOG_FORMAT=plain for a terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
SECRET_KEY = env_str("SECRET_KEY", required=True)
# Rotation: put the old key here (comma-separated, newest first) while the new one takes over, so
# sessions, password-reset links and signed values made with it stay valid; drop it later.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", required=True)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS if host != "*"]
)

# Behind the shipped nginx (one hop) unless told otherwise; 0 when clients reach daphne directly.
# Client IPs, DRF's NUM_PROXIES and the TLS header all follow this one number (docs/adr/0027).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT  # noqa: F405
# TLS ends at nginx, which sets X-Forwarded-Proto; with no proxy a client could forge it, so it is not read.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT > 0 else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# /metrics: nobody, unless the operator gives a token or the scrapers' networks (ADR 0033).
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", [])
METRICS_ALLOWED_NETWORKS_PARSED = [ipaddress.ip_network(cidr, strict=False) for cidr in METRICS_ALLOWED_NETWORKS]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
OSCAR_BASKET_COOKIE_SECURE = True
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Webhook endpoints: https and public addresses only (SSRF), unless switched on explicitly; while either
# is on, `check --deploy` warns (hypex.W048; docs/adr/0048).
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", False)
WEBHOOK_ALLOW_PRIVATE_URLS = env_bool("WEBHOOK_ALLOW_PRIVATE_URLS", False)

# The dummy gateway approves orders for free: off unless switched on explicitly (staging, demos). When on,
# start-up logs a warning, /readyz says so and `check --deploy` fails (hypex.E001; docs/adr/0013).
PAYMENT_DUMMY_GATEWAY_ENABLED = env_bool("PAYMENT_DUMMY_GATEWAY_ENABLED", False)
PAYMENT_GATEWAYS = payment_gateways_from_env(
    dummy_enabled=PAYMENT_DUMMY_GATEWAY_ENABLED, stripe_secret_key=STRIPE_SECRET_KEY
)

# Media where MEDIA_STORAGE says (integrations/storage.py); static files compressed and served by whitenoise.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405
