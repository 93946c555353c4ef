from django.apps import AppConfig


class EventhooksConfig(AppConfig):
    """Webhooks for apps (ADR 0048): merchants subscribe HTTPS endpoints to shop events; each event is
    POSTed, signed, to every subscribed endpoint and retried for a day. A ground app: it imports no
    domain app; domain apps publish with `eventhooks.services.webhook_event_publish`."""

    name = "eventhooks"
    label = "eventhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, handlers  # noqa: F401 - registers the deploy check and the outbox handlers
