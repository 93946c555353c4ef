"""Validation of images uploaded in the back office (product and category images).

Every upload goes through `mediafiles.images.image_decode` (ADR 0026): the type is decoded from the
bytes with Pillow (the file name and the browser's content type are not trusted), size and pixel
limits stop oversized files and decompression bombs before decoding, and an accepted file is renamed
to a random name with the extension of the decoded format before it reaches storage.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from mediafiles.images import ImageRejected, image_decode, image_rename

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_MAX_SIDE = 10_000


def image_limits() -> tuple[int, int, int]:
    return (
        getattr(settings, "BACKOFFICE_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES),
        getattr(settings, "BACKOFFICE_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS),
        getattr(settings, "BACKOFFICE_IMAGE_MAX_SIDE", DEFAULT_MAX_SIDE),
    )


def validate_uploaded_image(upload) -> None:
    """Raise ValidationError unless `upload` is a JPEG, PNG, WebP or GIF within the limits; rename
    an accepted upload to `<random>.<decoded format's extension>`."""
    max_bytes, max_pixels, max_side = image_limits()
    try:
        decoded = image_decode(upload=upload, max_bytes=max_bytes, max_pixels=max_pixels, max_side=max_side)
    except ImageRejected as rejected:
        raise ValidationError(rejected.message, code=rejected.code) from rejected
    image_rename(upload=upload, decoded=decoded)
