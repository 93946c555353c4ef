"""Decoding of uploaded images: the one gate every image upload goes through (ADR 0026).

The bytes decide, never the client's file name or declared content type. An upload is accepted only
if Pillow identifies it as one of the raster formats below, its header is within the size and pixel
limits (checked before any pixel is decoded, so decompression bombs stop at the header), and both
`verify()` and a full `load()` succeed (a GIF header followed by HTML fails here). The accepted file
is then renamed to a random name with the extension of the format actually decoded.
"""

from __future__ import annotations

import secrets
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

# Pillow format name -> (stored extension, content type). Nothing else is ever accepted (no SVG).
RASTER_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
CONTENT_TYPE_BY_EXTENSION = {ext: content_type for ext, content_type in RASTER_FORMATS.values()} | {
    "jpeg": "image/jpeg"
}


class ImageRejected(Exception):
    """The upload is not an acceptable image. `code` is one of: too_large, not_an_image, bad_type,
    too_many_pixels, damaged; `message` is a sentence for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class DecodedImage:
    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return RASTER_FORMATS[self.format][0]

    @property
    def content_type(self) -> str:
        return RASTER_FORMATS[self.format][1]


def image_decode(*, upload, max_bytes: int, max_pixels: int, max_side: int | None = None) -> DecodedImage:
    """Decode `upload` (a Django File) fully; raise ImageRejected unless it is an allowed raster image
    within the limits. The file position is restored."""
    if upload.size is not None and upload.size > max_bytes:
        raise ImageRejected("too_large", f"The image is {upload.size} bytes; the limit is {max_bytes} bytes.")
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as image:
                decoded = DecodedImage(image.format or "", *image.size)
                _check_header(decoded, max_pixels=max_pixels, max_side=max_side)
                image.verify()
            upload.seek(0)
            with Image.open(upload, formats=[decoded.format]) as image:
                image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        if isinstance(error, UnidentifiedImageError):
            raise ImageRejected("not_an_image", "The file is not an image.") from error
        raise ImageRejected("too_many_pixels", "The image has too many pixels.") from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageRejected("damaged", "The image is damaged and cannot be read.") from error
    finally:
        upload.seek(position)
    return decoded


def _check_header(decoded: DecodedImage, *, max_pixels: int, max_side: int | None) -> None:
    if decoded.format not in RASTER_FORMATS:
        allowed = ", ".join(RASTER_FORMATS)
        raise ImageRejected("bad_type", f"{decoded.format or 'These'} images are not accepted; use {allowed}.")
    if decoded.width * decoded.height > max_pixels or (max_side and max(decoded.width, decoded.height) > max_side):
        raise ImageRejected(
            "too_many_pixels",
            f"The image is {decoded.width} x {decoded.height} pixels; the limit is {max_pixels} pixels"
            + (f" and {max_side} on a side." if max_side else "."),
        )


def random_file_name(extension: str) -> str:
    """A name nobody can guess or choose: 32 hex characters and the given extension."""
    return f"{secrets.token_hex(16)}.{extension}"


def image_rename(*, upload, decoded: DecodedImage) -> None:
    """Give an accepted upload a random name with the extension of its decoded format (the client's
    name is dropped). Call after `image_decode`, before saving the file to a model field."""
    upload.name = random_file_name(decoded.extension)
