"""Accounts: phone codes and SMS. Lifetimes and limits are settings, not constants."""

from config.env import env_int, env_str

PHONE_DEFAULT_REGION = env_str("PHONE_DEFAULT_REGION", "GB")

OTP_TTL_SECONDS = env_int("OTP_TTL_SECONDS", 300)
OTP_MAX_ATTEMPTS = 5
OTP_RESEND_SECONDS = env_int("OTP_RESEND_SECONDS", 60)
OTP_PHONE_PER_HOUR = env_int("OTP_PHONE_PER_HOUR", 5)
OTP_IP_PER_HOUR = env_int("OTP_IP_PER_HOUR", 20)
OTP_DELIVERY_WAIT_SECONDS = env_int("OTP_DELIVERY_WAIT_SECONDS", 8)

SMS_BACKEND = env_str("SMS_BACKEND", "accounts.sms.ConsoleSmsBackend")
SMS_HTTP_URL = env_str("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = env_str("SMS_HTTP_TOKEN", "")
SMS_SENDER = env_str("SMS_SENDER", "Hypex")
SMS_HTTP_TIMEOUT_SECONDS = env_int("SMS_HTTP_TIMEOUT_SECONDS", 10)

# Deleting the account or changing the password needs the current password, or (accounts without one:
# Google or phone sign-in) a token from a sign-in at most this many seconds old.
REAUTH_MAX_AGE_SECONDS = env_int("REAUTH_MAX_AGE_SECONDS", 300)
