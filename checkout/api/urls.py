from django.urls import path

from .basket_views import (
    BasketLinesView,
    BasketLineView,
    BasketShippingMethodsView,
    BasketView,
    BasketVouchersView,
    BasketVoucherView,
)
from .checkout_views import CheckoutView

urlpatterns = [
    path("basket/", BasketView.as_view(), name="basket"),
    path("basket/lines/", BasketLinesView.as_view(), name="basket-lines"),
    path("basket/lines/<int:pk>/", BasketLineView.as_view(), name="basket-line"),
    path("basket/vouchers/", BasketVouchersView.as_view(), name="basket-vouchers"),
    path("basket/vouchers/<str:code>/", BasketVoucherView.as_view(), name="basket-voucher"),
    path("basket/shipping-methods/", BasketShippingMethodsView.as_view(), name="basket-shipping-methods"),
    path("checkout/", CheckoutView.as_view(), name="checkout"),
]
