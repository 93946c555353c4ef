from django.apps import AppConfig


class DataexchangeConfig(AppConfig):
    name = "dataexchange"
    verbose_name = "Import and export"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import handlers  # noqa: F401
        from .search_index import install

        install()  # runs after modelsearch's ready (INSTALLED_APPS order): imports index in bulk
