"""Input and output serializers for /api/v1/auth/ and /api/v1/me/."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from oscar.core.loading import get_model
from rest_framework import serializers

from accounts.phone import phone_normalise
from accounts.services import user_email_is_unverified
from apibase.fields import StrictTypesMixin

Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")


class StrictFieldsMixin(StrictTypesMixin):
    """Unknown or read-only fields in the body are an error, not silently ignored; strings must be strings."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = set(data.keys()) - writable
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field cannot be set here."] for name in sorted(unknown)}
                )
        return super().to_internal_value(data)


class PhoneField(serializers.CharField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return phone_normalise(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages[0], code="invalid_phone") from exc


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="JWT access token; send as `Authorization: Bearer <access>`.")
    refresh = serializers.CharField(help_text="JWT refresh token; rotate it at /api/v1/auth/token/refresh/.")


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class RegisterSerializer(StrictFieldsMixin, serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, style={"input_type": "password"}, max_length=128)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class EmailVerifySerializer(StrictFieldsMixin, serializers.Serializer):
    key = serializers.CharField(help_text="The key at the end of the emailed link /auth/confirm-email/<key>/.")


class LogoutSerializer(StrictFieldsMixin, serializers.Serializer):
    refresh = serializers.CharField()


class PasswordResetSerializer(StrictFieldsMixin, serializers.Serializer):
    email = serializers.EmailField()


class PasswordResetConfirmSerializer(StrictFieldsMixin, serializers.Serializer):
    uid = serializers.CharField(help_text="From the emailed link /auth/password/reset/key/<uid>-<token>/.")
    token = serializers.CharField()
    new_password = serializers.CharField(write_only=True, max_length=128)


class GoogleSignInSerializer(StrictFieldsMixin, serializers.Serializer):
    id_token = serializers.CharField(help_text="The ID token (JWT) from Google Sign-In on the device.")


class OtpRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    phone = PhoneField(max_length=32, help_text="E.164 (+447911123456) or a national number in the shop's region.")


class OtpRequestResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds the code stays valid.")
    resend_after = serializers.IntegerField(help_text="Seconds before another code may be asked for.")


class OtpVerifySerializer(StrictFieldsMixin, serializers.Serializer):
    phone = PhoneField(max_length=32)
    code = serializers.RegexField(
        r"^\s*\d{6}\s*$", max_length=12, error_messages={"invalid": "Enter the 6-digit code."}
    )


class MeSerializer(serializers.ModelSerializer):
    email_verified = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "email", "email_verified", "phone", "first_name", "last_name", "date_joined"]
        read_only_fields = fields

    def get_email_verified(self, user) -> bool:
        return bool(user.email) and not user_email_is_unverified(user=user)


class MeUpdateSerializer(StrictFieldsMixin, serializers.Serializer):
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=255)

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            if "phone" in data:
                raise serializers.ValidationError(
                    {"phone": ["Change the phone with a code: POST /api/v1/me/phone/ then /api/v1/me/phone/confirm/."]},
                    code="phone_change_needs_otp",
                )
            if "email" in data:
                raise serializers.ValidationError(
                    {"email": ["Change the email address at /auth/email/, which verifies the new address."]}
                )
        return super().to_internal_value(data)


class ReauthenticateSerializer(StrictFieldsMixin, serializers.Serializer):
    password = serializers.CharField(
        required=False,
        write_only=True,
        max_length=128,
        help_text="Your current password. Accounts without one (Google or phone sign-in) omit it and must "
        "have signed in within the last few minutes (REAUTH_MAX_AGE_SECONDS, default 300).",
    )


class PasswordChangeSerializer(ReauthenticateSerializer):
    new_password = serializers.CharField(write_only=True, max_length=128)


class CountryField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="iso_3166_1_a2", queryset=Country.objects.all(), **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(str(data).upper())


class AddressSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    country = CountryField(help_text="ISO 3166-1 alpha-2 code, e.g. GB.")

    class Meta:
        model = UserAddress
        fields = [
            "id", "title", "first_name", "last_name", "line1", "line2", "line3", "line4", "state", "postcode",
            "country", "phone_number", "notes", "is_default_for_shipping", "is_default_for_billing", "date_created",
        ]  # fmt: skip
        read_only_fields = ["id", "date_created"]
        extra_kwargs = {"line1": {"required": True, "allow_blank": False}}
