import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalogue.catalogue"

    def ready(self):
        super().ready()
        from . import product_events, receivers

        receivers.connect()
        product_events.connect()
