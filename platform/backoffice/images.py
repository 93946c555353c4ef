"""Validation of images uploaded in the back office.

The type is sniffed from the bytes with Pillow (the file name and the browser's content type are not
trusted), and size and pixel limits stop oversized files and decompression bombs before they reach
storage or thumbnailing.
"""

from __future__ import annotations

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
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
    """Raise ValidationError unless `upload` is a JPEG, PNG, WebP or GIF within the limits."""
    max_bytes, max_pixels, max_side = image_limits()
    if upload.size > max_bytes:
        raise ValidationError(
            _("The image is %(size)s bytes; the limit is %(max)s bytes.") % {"size": upload.size, "max": max_bytes},
            code="too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                kind, (width, height) = image.format, image.size
                if kind in ALLOWED_FORMATS and width * height <= max_pixels:
                    image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        if isinstance(error, UnidentifiedImageError):
            raise ValidationError(_("The file is not an image."), code="not_an_image") from error
        raise ValidationError(_("The image has too many pixels."), code="too_many_pixels") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("The image is damaged and cannot be read."), code="damaged") from error
    finally:
        upload.seek(position)
    if kind not in ALLOWED_FORMATS:
        allowed = ", ".join(ALLOWED_FORMATS.values())
        raise ValidationError(
            _("%(kind)s images are not accepted; use %(allowed)s.") % {"kind": kind, "allowed": allowed},
            code="bad_type",
        )
    if width * height > max_pixels or max(width, height) > max_side:
        raise ValidationError(
            _("The image is %(w)s x %(h)s pixels; the limit is %(pixels)s pixels and %(side)s on a side.")
            % {"w": width, "h": height, "pixels": max_pixels, "side": max_side},
            code="too_many_pixels",
        )
