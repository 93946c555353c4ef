"""Bench-only settings: the production settings plus the floor view (bench/floor.py) and django-oscar-api
mounted at /oscarapi/ (a peer the products API is compared with, issue 17). Never deployed."""

from config.settings.production import *  # noqa: F401,F403

ROOT_URLCONF = "bench.floor"
# django-oscar-api (bench/requirements.txt), on the same Oscar models and data: its product list and detail.
INSTALLED_APPS = [*INSTALLED_APPS, "oscarapi"]  # noqa: F405
