import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    name = "checkout.order"

    def ready(self):
        super().ready()
        from . import handlers, receivers  # noqa: F401
