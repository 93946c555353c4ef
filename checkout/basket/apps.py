import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    name = "checkout.basket"

    def ready(self):
        super().ready()
        from . import receivers  # noqa: F401
