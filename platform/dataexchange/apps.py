from django.apps import AppConfig


class DataexchangeConfig(AppConfig):
    name = "dataexchange"
    verbose_name = "Import and export"
    default_auto_field = "django.db.models.BigAutoField"
