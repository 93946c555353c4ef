"""Serving `/media/` from Django (SERVE_MEDIA=true or DEBUG; nginx does it in production, with the
same headers: deploy/nginx/hypex.conf). ADR 0026.

- Only raster images get an image content type; everything else is `application/octet-stream`.
- Shoppers' uploads (support attachments, under `support/`) and every non-image are sent with
  `Content-Disposition: attachment`: a browser never renders them as a page. Staff images (products,
  categories, CMS) are `inline`. `<img>` tags show attachments all the same.
- `X-Content-Type-Options: nosniff` and a sandboxing Content-Security-Policy on every answer.
"""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

from .images import CONTENT_TYPE_BY_EXTENSION

# Folders of MEDIA_ROOT that hold files shoppers uploaded: always downloads.
ATTACHMENT_FOLDERS = ("support/",)
MEDIA_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def media_headers(path: str) -> dict[str, str]:
    """The content type and safety headers for a file under MEDIA_ROOT, by its stored name."""
    extension = posixpath.splitext(path)[1].lstrip(".").lower()
    content_type = CONTENT_TYPE_BY_EXTENSION.get(extension)
    inline = content_type is not None and not path.startswith(ATTACHMENT_FOLDERS)
    return {
        "Content-Type": content_type or "application/octet-stream",
        "Content-Disposition": "inline" if inline else "attachment",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": MEDIA_CSP,
    }


def media_serve(request, path: str):
    if not (settings.SERVE_MEDIA or settings.DEBUG):
        raise Http404
    name = posixpath.normpath(path).lstrip("/")
    if "\x00" in path or name.startswith("..") or name in ("", "."):
        raise Http404
    try:
        if not default_storage.exists(name):
            raise Http404
        handle = default_storage.open(name, "rb")
    except (SuspiciousFileOperation, IsADirectoryError, PermissionError) as error:
        raise Http404 from error
    response = FileResponse(handle)
    for header, value in media_headers(name).items():
        response[header] = value
    return response
