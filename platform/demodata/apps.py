from django.apps import AppConfig


class DemodataConfig(AppConfig):
    name = "demodata"
    verbose_name = "Demo data"
