"""The sections listed at /api/v1/: (name, URL name). Each app adds its entry point here."""

API_SECTIONS: list[tuple[str, str]] = [
    ("auth_token", "api:token-obtain"),
    ("auth_token_refresh", "api:token-refresh"),
    ("auth_register", "api:auth-register"),
    ("auth_google", "api:auth-google"),
    ("auth_otp_request", "api:auth-otp-request"),
    ("me", "api:me"),
    ("me_addresses", "api:me-address-list"),
    ("support_conversations", "api:support-conversation-list"),
    ("categories", "api:category-list"),
    ("products", "api:product-list"),
    ("cms_pages", "api:cms:pages:listing"),
    ("cms_images", "api:cms:images:listing"),
    ("cms_documents", "api:cms:documents:listing"),
    ("schema", "api:schema"),
    ("docs", "api:swagger-ui"),
    ("redoc", "api:redoc"),
]


def api_sections() -> list[tuple[str, str]]:
    return list(API_SECTIONS)
