from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = "Support"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ops.metrics.exposition import scrape_collector_register

        from . import handlers, receivers  # noqa: F401
        from .metrics import support_waiting_collect

        scrape_collector_register("support_waiting", support_waiting_collect)
