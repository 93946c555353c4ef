"""Local development: the embedded default with debugging on."""

from .base import *  # noqa: F401,F403

DEBUG = True
SERVE_MEDIA = True

# Webhooks to a receiver on this machine (http://127.0.0.1:...) are allowed here (ADR 0048).
WEBHOOK_ALLOW_HTTP = True
WEBHOOK_ALLOW_PRIVATE_URLS = True
