from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = "Back office"

    def ready(self) -> None:
        from huey.contrib.djhuey import HUEY

        from .task_failures import task_failures_install
        from .unfoldify import reregister_on_unfold

        reregister_on_unfold()
        task_failures_install(HUEY)
