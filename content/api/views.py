"""Wagtail's read-only content API (v2) for apps, under /api/v1/cms/.

Wagtail's own viewsets, with two Hypex changes: errors use the project's one error format
(`apibase.errors`), and drf-spectacular leaves them out of the OpenAPI schema (`schema = None`):
Wagtail's dynamic fields (`?fields=`, `?type=`) cannot be described statically; the contract is
Wagtail's documented v2 API (see README "CMS API" and docs/adr/0021). Its absolute URLs
(`detail_url`, `html_url`, documents' `download_url`) use the host the request came to (ADR 0031),
not `WAGTAILAPI_BASE_URL` or the `Site` row.
"""

from __future__ import annotations

from django.urls import NoReverseMatch
from rest_framework.fields import SkipField
from rest_framework.views import APIView
from wagtail.api.v2.serializers import DetailUrlField, PageHtmlUrlField, PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.serializers import DocumentDownloadUrlField, DocumentSerializer
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet

from apibase.errors import ApiError
from content.models import page_full_url
from ops.site_url import site_base_url


class ServedDetailUrlField(DetailUrlField):
    def get_attribute(self, instance):
        path = self.context["router"].get_object_detail_urlpath(type(instance), instance.pk)
        if not path:
            raise SkipField
        return site_base_url(request=self.context["request"]) + path


class ServedHtmlUrlField(PageHtmlUrlField):
    def to_representation(self, page):
        try:
            return page_full_url(page=page, request=self.context["request"])
        except NoReverseMatch:
            return None


class ServedDocumentDownloadUrlField(DocumentDownloadUrlField):
    def to_representation(self, document):
        return site_base_url(request=self.context["request"]) + document.url


class CmsPageSerializer(PageSerializer):
    detail_url = ServedDetailUrlField(read_only=True)
    html_url = ServedHtmlUrlField(read_only=True)


class CmsImageSerializer(ImageSerializer):
    detail_url = ServedDetailUrlField(read_only=True)


class CmsDocumentSerializer(DocumentSerializer):
    detail_url = ServedDetailUrlField(read_only=True)
    download_url = ServedDocumentDownloadUrlField(read_only=True)


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
    base_serializer_class = CmsPageSerializer


class CmsImagesAPIViewSet(_HypexErrors, ImagesAPIViewSet):
    base_serializer_class = CmsImageSerializer


class CmsDocumentsAPIViewSet(_HypexErrors, DocumentsAPIViewSet):
    base_serializer_class = CmsDocumentSerializer
