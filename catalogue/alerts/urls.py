"""Oscar's alert URLs, answered by our views (mounted before Oscar's in config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("accounts/alerts/create/<int:pk>/", views.alert_create, name="product-alert-create"),
    path("accounts/alerts/confirm/<str:key>/", views.alert_confirm, name="product-alert-confirm"),
    path("accounts/alerts/cancel/key/<str:key>/", views.alert_cancel, name="product-alert-cancel"),
]
