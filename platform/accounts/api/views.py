"""/api/v1/auth/: sign-up, JWT, email verification, password reset, Google and phone sign-in.

Views parse with an input serializer, call a service, answer with an output serializer. Every answer
to an unauthenticated request is the same whether or not the email/phone is registered.
"""

from __future__ import annotations

from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailConfirmationHMAC
from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import otp, services
from accounts.errors import EmailNotVerified, EmailVerificationInvalid, OtpInvalid
from accounts.google import google_sign_in
from accounts.models import PhoneChallenge
from accounts.sign_in import token_pair_issue
from apibase.client_ip import client_ip
from apibase.errors import ERROR_RESPONSES, ErrorSerializer

from . import serializers as s
from .throttles import CREDENTIAL_THROTTLES

TOKEN_RESPONSES = {200: s.TokenPairSerializer, **ERROR_RESPONSES}
ACCEPTED = OpenApiResponse(
    s.DetailSerializer, description="Accepted; the same answer whether or not the account exists."
)


class PublicAuthView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = CREDENTIAL_THROTTLES

    def get_authenticate_header(self, request) -> str:
        # Credential errors answer 401 with a challenge, as on the JWT endpoints (not DRF's 403).
        return 'Bearer realm="api"'


class EmailTokenObtainSerializer(TokenObtainPairSerializer):
    """simplejwt's email/password check, plus mandatory email verification."""

    def validate(self, attrs):
        data = super().validate(attrs)
        if services.user_email_is_unverified(user=self.user):
            raise EmailNotVerified()
        return data


@extend_schema(
    tags=["auth"],
    summary="Sign up with email and password",
    request=s.RegisterSerializer,
    responses={202: ACCEPTED, **ERROR_RESPONSES},
)
class RegisterView(PublicAuthView):
    def post(self, request):
        serializer = s.RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_register(request=request._request, **serializer.validated_data)
        return Response(
            {"detail": "Check your inbox: follow the link we sent to verify your email, then sign in."},
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema(
    tags=["auth"],
    summary="Verify an email address with the key from the emailed link",
    request=s.EmailVerifySerializer,
    responses={200: s.DetailSerializer, **ERROR_RESPONSES},
)
class EmailVerifyView(PublicAuthView):
    def post(self, request):
        serializer = s.EmailVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        confirmation = EmailConfirmationHMAC.from_key(serializer.validated_data["key"])
        if confirmation is None or confirmation.email_address.user.is_active is False:
            raise EmailVerificationInvalid()
        if not confirmation.confirm(request._request):
            raise EmailVerificationInvalid()
        return Response({"detail": "Email verified. You can sign in now."})


@extend_schema(
    tags=["auth"], summary="Exchange email and password for an access/refresh token pair", responses=TOKEN_RESPONSES
)
class TokenObtainView(jwt_views.TokenObtainPairView):
    """Also merges the anonymous basket this client carries into the account's basket."""

    serializer_class = EmailTokenObtainSerializer
    throttle_classes = CREDENTIAL_THROTTLES

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(token_pair_issue(request=request._request, user=serializer.user))


@extend_schema(
    tags=["auth"],
    summary="Rotate a refresh token: returns a new pair; the used one stops working",
    responses=TOKEN_RESPONSES,
)
class TokenRefreshView(jwt_views.TokenRefreshView):
    throttle_classes = [CREDENTIAL_THROTTLES[0]]


@extend_schema(
    tags=["auth"], summary="Check that a token is valid", responses={200: s.DetailSerializer, **ERROR_RESPONSES}
)
class TokenVerifyView(jwt_views.TokenVerifyView):
    throttle_classes = [CREDENTIAL_THROTTLES[0]]

    def post(self, request, *args, **kwargs):
        super().post(request, *args, **kwargs)
        return Response({"detail": "Token is valid."})


@extend_schema(
    tags=["auth"],
    summary="Sign out: blacklist the refresh token",
    request=s.LogoutSerializer,
    responses={205: None, **ERROR_RESPONSES},
)
class LogoutView(PublicAuthView):
    throttle_classes = [CREDENTIAL_THROTTLES[0]]

    def post(self, request):
        serializer = s.LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            RefreshToken(serializer.validated_data["refresh"]).blacklist()
        except TokenError as exc:
            raise InvalidToken(str(exc)) from exc
        return Response(status=status.HTTP_205_RESET_CONTENT)


@extend_schema(
    tags=["auth"],
    summary="Email a password reset link",
    request=s.PasswordResetSerializer,
    responses={202: ACCEPTED, **ERROR_RESPONSES},
)
class PasswordResetView(PublicAuthView):
    def post(self, request):
        serializer = s.PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = ResetPasswordForm(data={"email": serializer.validated_data["email"]})
        if form.is_valid():  # with enumeration prevention, unknown emails are valid too
            form.save(request._request)
        return Response(
            {"detail": "If an account uses this email, a link to reset its password is on its way."},
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema(
    tags=["auth"],
    summary="Set a new password with the emailed link's uid and token",
    request=s.PasswordResetConfirmSerializer,
    responses={200: s.DetailSerializer, **ERROR_RESPONSES},
)
class PasswordResetConfirmView(PublicAuthView):
    def post(self, request):
        serializer = s.PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_password_reset_confirm(**serializer.validated_data)
        return Response({"detail": "Password changed. Sign in with the new password."})


@extend_schema(
    tags=["auth"],
    summary="Sign in with a Google ID token",
    request=s.GoogleSignInSerializer,
    responses={**TOKEN_RESPONSES, 409: ErrorSerializer, 503: ErrorSerializer},
)
class GoogleSignInView(PublicAuthView):
    def post(self, request):
        serializer = s.GoogleSignInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = google_sign_in(request=request._request, id_token=serializer.validated_data["id_token"])
        return Response(token_pair_issue(request=request._request, user=user))


@extend_schema(
    tags=["auth"],
    summary="Text a sign-in code to a phone",
    request=s.OtpRequestSerializer,
    responses={202: s.OtpRequestResultSerializer, 503: ErrorSerializer, **ERROR_RESPONSES},
)
class OtpRequestView(PublicAuthView):
    def post(self, request):
        serializer = s.OtpRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        otp.otp_request(phone=serializer.validated_data["phone"], ip=client_ip(request))
        return Response(otp_sent_body(), status=status.HTTP_202_ACCEPTED)


@extend_schema(
    tags=["auth"],
    summary="Sign in with the texted code (creates the account if new)",
    request=s.OtpVerifySerializer,
    responses=TOKEN_RESPONSES,
)
class OtpVerifyView(PublicAuthView):
    def post(self, request):
        serializer = s.OtpVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        challenge = otp.otp_verify(phone=serializer.validated_data["phone"], code=serializer.validated_data["code"])
        user = services.user_for_phone_sign_in(phone=challenge.phone)
        if not user.is_active:
            raise OtpInvalid()
        return Response(token_pair_issue(request=request._request, user=user))


def otp_sent_body(detail: str = "If the number can receive texts, a code is on its way.") -> dict:
    """The answer to a code request (sign-in or phone change): the same whoever owns the number."""
    return {"detail": detail, "expires_in": settings.OTP_TTL_SECONDS, "resend_after": settings.OTP_RESEND_SECONDS}


__all__ = ["PhoneChallenge"]
