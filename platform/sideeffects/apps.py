from django.apps import AppConfig


class SideeffectsConfig(AppConfig):
    """The transactional outbox (ADR 0024). A ground app: it imports no domain app; domain apps register
    their handlers with `sideeffects.registry.outbox_handler` from their own `handlers.py`."""

    name = "sideeffects"
    label = "sideeffects"
    verbose_name = "Outbox"
    default_auto_field = "django.db.models.BigAutoField"
