"""Django REST framework, simplejwt and drf-spectacular: the /api/v1/ surface for apps."""

from datetime import timedelta

from config.env import env_int, env_str

from .proxies import TRUSTED_PROXY_COUNT

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["apibase.parsers.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "apibase.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "apibase.schema.AutoSchema",
    "EXCEPTION_HANDLER": "apibase.errors.exception_handler",
    # DRF's own client-IP rule, kept equal to apibase.client_ip's (docs/adr/0027).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "auth_ip": env_str("THROTTLE_AUTH_IP", "30/minute"),
        "auth_account": env_str("THROTTLE_AUTH_ACCOUNT", "10/minute"),
        "order_lookup": env_str("THROTTLE_ORDER_LOOKUP", "30/minute"),
        "product_alert": env_str("THROTTLE_PRODUCT_ALERT", "20/minute"),
    },
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=env_int("JWT_ACCESS_TOKEN_LIFETIME_SECONDS", 300)),
    "REFRESH_TOKEN_LIFETIME": timedelta(seconds=env_int("JWT_REFRESH_TOKEN_LIFETIME_SECONDS", 14 * 86400)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
    # Tokens carry a digest of the password hash: a password change, reset or account deletion ends
    # every access token at once, not when it expires (docs/adr/0029-api-contract-checked-in-ci.md).
    "CHECK_REVOKE_TOKEN": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Hypex API",
    "DESCRIPTION": (
        "The Hypex shop for apps. Authenticate with `POST /api/v1/auth/token/` and send "
        "`Authorization: Bearer <access>`. Errors always have the shape "
        '`{"error": {"code": ..., "message": ..., "fields": {...}}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["apibase.schema.only_public_api"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The docs fetch nothing from the internet (apibase.docs_views): no public schema validator, no web fonts.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                "headings": {"fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
                "code": {"fontFamily": "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"},
            }
        }
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}
