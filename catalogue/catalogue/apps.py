import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalogue.catalogue"

    def ready(self):
        super().ready()
        from . import handlers, product_events, receivers  # noqa: F401 (handlers register on import)

        receivers.connect()
        product_events.connect()
