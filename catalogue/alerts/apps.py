from django.apps import AppConfig


class ProductAlertsConfig(AppConfig):
    """Back-in-stock alerts over Oscar's `customer.ProductAlert` (no models of its own; ADR 0046)."""

    name = "catalogue.alerts"
    label = "product_alerts"
    verbose_name = "Back-in-stock alerts"

    def ready(self) -> None:
        from . import handlers  # noqa: F401
