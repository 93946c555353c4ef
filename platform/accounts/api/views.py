"""JWT endpoints. simplejwt does the work; these classes pin throttling and the OpenAPI contract."""

from drf_spectacular.utils import extend_schema
from rest_framework.throttling import AnonRateThrottle
from rest_framework_simplejwt import views as jwt_views

from apibase.errors import ERROR_RESPONSES


class AuthRateThrottle(AnonRateThrottle):
    """Per-IP throttle for credential endpoints (rate `auth` in REST_FRAMEWORK settings)."""

    scope = "auth"


@extend_schema(
    tags=["auth"],
    summary="Exchange email and password for an access/refresh token pair",
    responses={200: jwt_views.TokenObtainPairView.serializer_class, **ERROR_RESPONSES},
)
class TokenObtainView(jwt_views.TokenObtainPairView):
    throttle_classes = [AuthRateThrottle]


@extend_schema(
    tags=["auth"],
    summary="Rotate a refresh token: returns a new pair, the old refresh token is blacklisted",
    responses={200: jwt_views.TokenRefreshView.serializer_class, **ERROR_RESPONSES},
)
class TokenRefreshView(jwt_views.TokenRefreshView):
    throttle_classes = [AuthRateThrottle]
