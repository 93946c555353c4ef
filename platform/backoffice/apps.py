from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = "Back office"

    def ready(self) -> None:
        from .unfoldify import reregister_on_unfold

        reregister_on_unfold()
