from django.urls import path

from .views import order_return_request

app_name = "returns"

urlpatterns = [
    path("order/<str:number>/", order_return_request, name="order-return"),
]
