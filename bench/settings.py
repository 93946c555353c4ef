"""Bench-only settings: the production settings plus the floor view (bench/floor.py). Never deployed."""

from config.settings.production import *  # noqa: F401,F403

ROOT_URLCONF = "bench.floor"
