from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_site_root(sender, **kwargs) -> None:
    from .services import site_root_ensure

    site_root_ensure()


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # After every migrate (and every test database flush+sync), "/" has a home page.
        post_migrate.connect(_ensure_site_root, sender=self, dispatch_uid="content.ensure_site_root")
        from . import signals

        signals.connect()
