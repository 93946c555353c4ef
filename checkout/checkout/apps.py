import oscar.apps.checkout.apps as apps
from django.urls import path


class CheckoutConfig(apps.CheckoutConfig):
    name = "checkout.checkout"

    def get_urls(self):
        from .views import order_pay

        # An unpaid order's pay page: guests reach it with the signed key from their emails, so it is
        # never behind login_required (Oscar's decorator for the other checkout URLs).
        return [*super().get_urls(), path("order/<str:number>/pay/", order_pay, name="order-pay")]
