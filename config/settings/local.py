"""Local development: the embedded default with debugging on."""

from .base import *  # noqa: F401,F403

DEBUG = True
SERVE_MEDIA = True
