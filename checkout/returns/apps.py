from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "checkout.returns"
    label = "returns"
    verbose_name = "Returns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import handlers  # noqa: F401
