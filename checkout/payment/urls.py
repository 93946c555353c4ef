"""Payment pages (mounted at /payments/ in config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("dummy/<str:token>/", views.dummy_pay_page, name="payment-dummy-page"),
    path("stripe/return/", views.stripe_return, name="payment-stripe-return"),
    path("stripe/<str:token>/", views.stripe_pay_page, name="payment-stripe-page"),
]
