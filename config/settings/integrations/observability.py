"""Logging: one line per record to stdout, so containers and `make run` show the same thing.
Readiness: which `/readyz` checks take the server out of the load balancer when down."""

from config.env import env_list, env_str

# The shop keeps selling without Redis (cache, channel layer, task queue degrade; ADR 0025), so by
# default only the database makes /readyz answer 503. Add `cache` etc. to be stricter.
READYZ_CRITICAL_CHECKS = env_list("READYZ_CRITICAL_CHECKS", ["database"])

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "huey": {"level": LOG_LEVEL},
        "daphne": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "oscar.alerts": {"level": "WARNING"},
    },
}
