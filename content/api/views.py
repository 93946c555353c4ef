"""Wagtail's read-only content API (v2) for apps, under /api/v1/cms/.

Wagtail's own viewsets, with two Hypex changes: errors use the project's one error format
(`apibase.errors`), and drf-spectacular leaves them out of the OpenAPI schema (`schema = None`):
Wagtail's dynamic fields (`?fields=`, `?type=`) cannot be described statically; the contract is
Wagtail's documented v2 API (see README "CMS API" and docs/adr/0021).
"""

from __future__ import annotations

from rest_framework.views import APIView
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from apibase.errors import ApiError


class CmsBadRequest(ApiError):
    default_code = "bad_request"
    default_detail = "The request cannot be carried out."


class _HypexErrors:
    schema = None  # not in the OpenAPI schema: see the module docstring

    def handle_exception(self, exc):
        if isinstance(exc, BadRequestError):
            exc = CmsBadRequest(detail=str(exc))
        # Skip Wagtail's own {"message": ...} answers; DRF calls the project's exception handler.
        return APIView.handle_exception(self, exc)


class CmsPagesAPIViewSet(_HypexErrors, PagesAPIViewSet):
    pass


class CmsImagesAPIViewSet(_HypexErrors, ImagesAPIViewSet):
    pass


class CmsDocumentsAPIViewSet(_HypexErrors, DocumentsAPIViewSet):
    pass
