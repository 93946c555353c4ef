"""Logging: one line per record on stderr, JSON in production, plain text in `make run` (docs/adr/0035).
Readiness: which `/readyz` checks take the server out of the load balancer when down."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_list, env_str

# The shop keeps selling without Redis (cache, channel layer, task queue degrade; ADR 0025), so by
# default only the database makes /readyz answer 503. Add `cache` etc. to be stricter.
READYZ_CRITICAL_CHECKS = env_list("READYZ_CRITICAL_CHECKS", ["database"])

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
# `json` (production's default, see production.py) or `plain` (human-readable).
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
LOG_FORMATS = ("json", "plain")


def logging_config(*, log_format: str, level: str) -> dict:
    """Django's LOGGING for web servers, huey workers and management commands alike: one handler, on
    stderr (stdout stays clean for commands whose output is data), that first names the request and
    trace of every record (`ops.log_context`) and scrubs personal data and secrets from it
    (`ops.log_redaction`)."""
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_context": {"()": "ops.log_context.RequestContextFilter"},
            "redact": {"()": "ops.log_redaction.RedactingFilter"},
            "drop_client_error_lines": {"()": "ops.access_log.DropClientErrorLines"},
        },
        "formatters": {
            "json": {"()": "ops.log_format.JsonLineFormatter"},
            "plain": {"()": "ops.log_format.PlainFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_context", "redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's default logging prints "django" records once more on its own console handler
            # when DEBUG is on (every runserver line twice) and mails errors to ADMINS: everything
            # goes through the one handler above instead.
            "django": {"handlers": [], "propagate": True},
            "django.server": {"handlers": [], "propagate": True},
            # 4xx lines repeat ops.access's line; 5xx lines (with the traceback) stay.
            "django.request": {"filters": ["drop_client_error_lines"]},
            # runserver's request and websocket lines: ops.access writes one line per request instead.
            "django.channels.server": {"level": "CRITICAL"},
            "django.db.backends": {"level": "WARNING"},  # SQL with its parameters: never
            # Configured here so `run_huey` does not add a second handler of its own to "huey".
            "huey": {"handlers": ["console"], "level": level, "propagate": False},
            "daphne": {"level": "WARNING"},
            "django_tasks": {"level": "WARNING"},
            "oscar.alerts": {"level": "WARNING"},
        },
    }


LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
