"""Media on S3-compatible object storage, served with the same headers as `/media/` (ADR 0026).

A bucket answers with the headers stored on each object, so they are set at upload: the content type
and disposition from `mediafiles.views.media_headers` (raster images inline outside `support/`,
everything else an `application/octet-stream` download). A bucket cannot store
`X-Content-Type-Options` or `Content-Security-Policy`; a CDN in front adds them (docs/OPERATIONS.md).
"""

from __future__ import annotations

from storages.backends.s3 import S3Storage

from .views import media_headers


class MediaS3Storage(S3Storage):
    def get_object_parameters(self, name: str) -> dict:
        """`name` is the object key, under `location`; the rules are about the name within media."""
        params = super().get_object_parameters(name)
        prefix = self.location.strip("/")
        relative = name[len(prefix) + 1 :] if prefix and name.startswith(f"{prefix}/") else name
        headers = media_headers(relative)
        params["ContentType"] = headers["Content-Type"]
        params["ContentDisposition"] = headers["Content-Disposition"]
        return params
