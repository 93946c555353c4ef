"""/api/v1/auth/: JWT for apps (simplejwt)."""

from django.urls import path

from .views import TokenObtainView, TokenRefreshView

urlpatterns = [
    path("token/", TokenObtainView.as_view(), name="token-obtain"),
    path("token/refresh/", TokenRefreshView.as_view(), name="token-refresh"),
]
