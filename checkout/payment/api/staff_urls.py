"""/api/v1/staff/orders/... (payments)."""

from django.urls import path

from .staff import OrderRefundsView

urlpatterns = [
    path("orders/<str:number>/refunds/", OrderRefundsView.as_view(), name="staff-order-refunds"),
]
