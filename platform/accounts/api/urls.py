"""/api/v1/auth/: sign-in for apps, whichever way the user proves who they are."""

from django.urls import path

from . import views

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="auth-register"),
    path("email/verify/", views.EmailVerifyView.as_view(), name="auth-email-verify"),
    path("token/", views.TokenObtainView.as_view(), name="token-obtain"),
    path("token/refresh/", views.TokenRefreshView.as_view(), name="token-refresh"),
    path("token/verify/", views.TokenVerifyView.as_view(), name="token-verify"),
    path("logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("password/reset/", views.PasswordResetView.as_view(), name="auth-password-reset"),
    path("password/reset/confirm/", views.PasswordResetConfirmView.as_view(), name="auth-password-reset-confirm"),
    path("google/", views.GoogleSignInView.as_view(), name="auth-google"),
    path("otp/request/", views.OtpRequestView.as_view(), name="auth-otp-request"),
    path("otp/verify/", views.OtpVerifyView.as_view(), name="auth-otp-verify"),
]
