from django.urls import path

from .views import OrderReturnsView, ReturnDetailView

urlpatterns = [
    path("orders/<str:number>/returns/", OrderReturnsView.as_view(), name="order-returns"),
    path("returns/<int:pk>/", ReturnDetailView.as_view(), name="return-detail"),
]
