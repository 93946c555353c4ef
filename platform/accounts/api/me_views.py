"""/api/v1/me/: the signed-in customer's profile, phone and address book."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import addresses, otp, services
from accounts.models import PhoneChallenge
from accounts.sign_in import refresh_token_for_sign_in, token_auth_age
from apibase.client_ip import client_ip
from apibase.errors import ERROR_RESPONSES, ErrorSerializer

from . import serializers as s
from .serializers import TokenPairSerializer
from .throttles import AuthIpThrottle
from .views import otp_sent_body

REAUTH_DESCRIPTION = (
    "Needs `password`, the current password; accounts without one (Google or phone sign-in) omit it "
    "and must use an access token from a sign-in at most `REAUTH_MAX_AGE_SECONDS` (default 300) old. "
    "A wrong password is a 400 on `password`; a missing one or an older sign-in is a 403 "
    "`reauthentication_required`."
)
REAUTH_REFUSED = OpenApiResponse(ErrorSerializer, description="`reauthentication_required`: see above.")


def reauthenticate(request, *, password: str | None) -> None:
    services.user_reauthenticate(user=request.user, password=password, auth_age=token_auth_age(token=request.auth))


@extend_schema(tags=["me"])
class MeView(APIView):
    permission_classes = [IsAuthenticated]

    def get_throttles(self):
        return [AuthIpThrottle()] if self.request.method == "DELETE" else []  # DELETE checks a password

    @extend_schema(summary="The signed-in customer", responses={200: s.MeSerializer, **ERROR_RESPONSES})
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)

    @extend_schema(
        summary="Change name (phone and email have their own verified flows)",
        request=s.MeUpdateSerializer,
        responses={200: s.MeSerializer, **ERROR_RESPONSES},
    )
    def patch(self, request):
        serializer = s.MeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_profile_update(user=request.user, **serializer.validated_data)
        return Response(s.MeSerializer(user).data)

    @extend_schema(
        summary="Delete the account: personal data is erased, orders are kept anonymously",
        description=REAUTH_DESCRIPTION,
        request=s.ReauthenticateSerializer,
        responses={204: None, 403: REAUTH_REFUSED, **ERROR_RESPONSES},
    )
    def delete(self, request):
        serializer = s.ReauthenticateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reauthenticate(request, password=serializer.validated_data.get("password"))
        services.user_anonymise(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=["me"],
    summary="Change the password; every other app is signed out, this one gets a new token pair",
    description=REAUTH_DESCRIPTION,
    request=s.PasswordChangeSerializer,
    responses={200: TokenPairSerializer, 403: REAUTH_REFUSED, **ERROR_RESPONSES},
)
class PasswordChangeView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [AuthIpThrottle]

    def post(self, request):
        serializer = s.PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reauthenticate(request, password=serializer.validated_data.get("password"))
        user = services.user_password_change(user=request.user, new_password=serializer.validated_data["new_password"])
        refresh = refresh_token_for_sign_in(user=user)
        return Response({"access": str(refresh.access_token), "refresh": str(refresh)})


@extend_schema(
    tags=["me"],
    summary="Text a code to a new phone number",
    request=s.OtpRequestSerializer,
    responses={202: s.OtpRequestResultSerializer, 503: ErrorSerializer, **ERROR_RESPONSES},
)
class PhoneChangeRequestView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [AuthIpThrottle]

    def post(self, request):
        serializer = s.OtpRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        otp.otp_request(
            phone=serializer.validated_data["phone"],
            purpose=PhoneChallenge.Purpose.CHANGE_PHONE,
            ip=client_ip(request),
            user=request.user,
        )
        return Response(otp_sent_body("A code is on its way to the new number."), status=status.HTTP_202_ACCEPTED)


@extend_schema(
    tags=["me"],
    summary="Confirm the new phone number with its code",
    request=s.OtpVerifySerializer,
    responses={200: s.MeSerializer, 409: ErrorSerializer, **ERROR_RESPONSES},
)
class PhoneChangeConfirmView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [AuthIpThrottle]

    def post(self, request):
        serializer = s.OtpVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        challenge = otp.otp_verify(
            phone=serializer.validated_data["phone"],
            code=serializer.validated_data["code"],
            purpose=PhoneChallenge.Purpose.CHANGE_PHONE,
            user=request.user,
        )
        user = services.user_phone_change(user=request.user, phone=challenge.phone)
        return Response(s.MeSerializer(user).data)


@extend_schema_view(
    list=extend_schema(summary="The customer's addresses"),
    create=extend_schema(summary="Add an address (validated for its country)"),
    retrieve=extend_schema(summary="One address"),
    update=extend_schema(summary="Replace an address"),
    partial_update=extend_schema(summary="Change an address"),
    destroy=extend_schema(summary="Delete an address"),
)
@extend_schema(tags=["me"], responses={200: s.AddressSerializer, **ERROR_RESPONSES})
class AddressViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Another customer's address answers 404, never 403."""

    serializer_class = s.AddressSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return addresses.UserAddress.objects.none()
        return (
            addresses.UserAddress.objects.filter(user=self.request.user)
            .select_related("country")
            .order_by("-is_default_for_shipping", "-date_created", "-id")
        )

    def perform_create(self, serializer):
        serializer.instance = addresses.address_save(user=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = addresses.address_save(
            user=self.request.user, data=serializer.validated_data, address=serializer.instance
        )

    def perform_destroy(self, instance):
        addresses.address_delete(address=instance)
