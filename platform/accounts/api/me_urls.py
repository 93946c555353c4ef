"""/api/v1/me/: the signed-in customer."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import me_views

router = SimpleRouter()
router.register("addresses", me_views.AddressViewSet, basename="me-address")

urlpatterns = [
    path("", me_views.MeView.as_view(), name="me"),
    path("password/", me_views.PasswordChangeView.as_view(), name="me-password"),
    path("phone/", me_views.PhoneChangeRequestView.as_view(), name="me-phone"),
    path("phone/confirm/", me_views.PhoneChangeConfirmView.as_view(), name="me-phone-confirm"),
    *router.urls,
]
