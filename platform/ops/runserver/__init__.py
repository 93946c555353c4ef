"""`manage.py runserver` is daphne's (HTTP and websockets, as `make run` needs), imported only when it runs.

daphne's own app (`"daphne"` in INSTALLED_APPS) imports daphne's server, and with it Twisted and its
asyncio reactor, in every process at `django.setup()`: huey workers, the production server's workers and
every `manage.py` command paid for a development server they never start (docs/adr/0038, addendum of
2026-12-07). This app, listed before `django.contrib.staticfiles` (whose runserver it overrides, as
daphne's did), names daphne's command instead.
"""
