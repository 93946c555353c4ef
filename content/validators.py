"""Validators for links editors type in blocks and snippets."""

from django.core.validators import RegexValidator

# A site path, an http(s) URL, mailto: or tel: - never `javascript:` or other schemes.
link_validator = RegexValidator(
    regex=r"^(/(?!/)|https?://|mailto:|tel:)",
    message="Enter a path starting with / or a URL starting with https://, http://, mailto: or tel:.",
    code="invalid_link",
)
