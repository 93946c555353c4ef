from django.apps import AppConfig


class RunserverConfig(AppConfig):
    name = "ops.runserver"
    label = "ops_runserver"
    verbose_name = "Development server (daphne's runserver)"
