"""Where uploaded files are stored: random names, never the client's (ADR 0026)."""

from __future__ import annotations

import posixpath

from django.utils import timezone
from django.utils.deconstruct import deconstructible

from .images import CONTENT_TYPE_BY_EXTENSION, random_file_name


@deconstructible
class RandomImagePath:
    """`upload_to` for image fields: `<prefix>/<YYYY>/<MM>/<random>.<ext>`.

    The extension is taken from the name `mediafiles.images.image_rename` gave the upload (the decoded
    format's); a name with any other extension means the upload skipped validation, and is refused.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        extension = posixpath.splitext(filename)[1].lstrip(".").lower()
        if extension not in CONTENT_TYPE_BY_EXTENSION:
            raise ValueError(f"refusing to store an unvalidated upload named {filename!r}")
        return posixpath.join(self.prefix, timezone.now().strftime("%Y/%m"), random_file_name(extension))

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomImagePath) and other.prefix == self.prefix


def display_file_name(name: str, *, max_length: int = 255) -> str:
    """A client's file name made safe to keep as display metadata only: the last path part, without
    control characters, cut to `max_length`. Never use it to build a storage path."""
    base = posixpath.basename(name.replace("\\", "/"))
    return "".join(char for char in base if char.isprintable())[:max_length]
