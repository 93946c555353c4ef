"""Page URLs that take over Oscar's account entry points: one login page for shoppers (allauth's).

Mounted before Oscar's URLs in config/urls.py, so these paths win; Oscar's templates keep reversing
their own URL names and land here.
"""

from django.urls import path

from .views import AccountDeleteView, ProfileUpdateView, ToAllauth, UnsubscribeView

urlpatterns = [
    path("accounts/login/", ToAllauth.as_view(url_name="account_login")),
    path("accounts/register/", ToAllauth.as_view(url_name="account_signup")),
    path("accounts/logout/", ToAllauth.as_view(url_name="account_logout")),
    path("accounts/change-password/", ToAllauth.as_view(url_name="account_change_password")),
    path("password-reset/", ToAllauth.as_view(url_name="account_reset_password")),
    path("accounts/profile/delete/", AccountDeleteView.as_view(), name="account_delete"),
    path("accounts/profile/edit/", ProfileUpdateView.as_view(), name="account_profile_update"),
    path("unsubscribe/<str:token>/", UnsubscribeView.as_view(), name="marketing-unsubscribe"),
]
