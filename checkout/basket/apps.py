import oscar.apps.basket.apps as apps
from django.urls import path


class BasketConfig(apps.BasketConfig):
    name = "checkout.basket"

    def ready(self):
        super().ready()
        from . import handlers, receivers  # noqa: F401

    def get_urls(self):
        from .restore import basket_restore_view
        from .views import mini_basket_view

        restore = path("restore/<str:token>/", basket_restore_view, name="restore")
        mini = path("mini/", mini_basket_view, name="mini")
        return [restore, mini, *super().get_urls()]
