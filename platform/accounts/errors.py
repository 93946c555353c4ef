"""Business errors of the accounts domain, rendered in the project's one error format."""

from rest_framework import status

from apibase.errors import ApiError


class OtpRateLimited(ApiError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "otp_rate_limited"
    default_detail = "Too many codes asked for. Wait a little before asking for another."

    def __init__(self, retry_after: int, detail: str | None = None) -> None:
        super().__init__(detail)
        self.wait = retry_after


class OtpInvalid(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "otp_invalid"
    default_detail = "The code is wrong or has expired. Ask for a new code if you need one."


class OtpLocked(ApiError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "otp_locked"
    default_detail = "Too many wrong codes. Ask for a new code."


class SmsDeliveryFailed(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "sms_delivery_failed"
    default_detail = "We could not send a text message just now. Check the number or try again later."


class PhoneUnavailable(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "phone_unavailable"
    default_detail = "This phone number belongs to another account."


class EmailNotVerified(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "email_not_verified"
    default_detail = "Verify your email address first: follow the link we sent you."


class GoogleTokenInvalid(ApiError):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = "google_token_invalid"
    default_detail = "The Google sign-in could not be verified."


class GoogleNotConfigured(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "google_not_configured"
    default_detail = "Google sign-in is not set up for this shop."


class GoogleEmailUnverified(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "google_email_unverified"
    default_detail = "Sign in with your password first, then connect Google from your account."


class PasswordResetInvalid(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "password_reset_invalid"
    default_detail = "This password reset link is invalid or has expired. Ask for a new one."


class EmailVerificationInvalid(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "email_verification_invalid"
    default_detail = "This verification link is invalid or has expired."


class ReauthenticationRequired(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "reauthentication_required"
    default_detail = (
        "Confirm it is you: give your current password (accounts without one: sign in again, then retry "
        "within a few minutes)."
    )
