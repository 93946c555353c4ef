from django.urls import path

from .views import OrderCancelView, OrderDetailView, OrderListView, OrderLookupView

urlpatterns = [
    path("orders/", OrderListView.as_view(), name="order-list"),
    path("orders/lookup/", OrderLookupView.as_view(), name="order-lookup"),
    path("orders/<str:number>/", OrderDetailView.as_view(), name="order-detail"),
    path("orders/<str:number>/cancel/", OrderCancelView.as_view(), name="order-cancel"),
]
