"""Logging: one line per record to stdout, so containers and `make run` show the same thing."""

from config.env import env_str

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
