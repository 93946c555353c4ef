from django.urls import path

from .views import ProductAlertCreateView

urlpatterns = [
    path("products/<int:pk>/alerts/", ProductAlertCreateView.as_view(), name="product-alerts"),
]
