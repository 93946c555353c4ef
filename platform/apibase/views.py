"""The API root: what /api/v1/ offers, as links; and 404/CSRF answers in the error format under /api/
(500s and a busy database: `server_errors`)."""

from django.http import JsonResponse
from django.views.csrf import csrf_failure as default_csrf_failure
from django.views.decorators.csrf import csrf_exempt
from django.views.defaults import page_not_found
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from .errors import error_body
from .request_guard import is_api_request
from .sections import api_sections


@extend_schema(
    tags=["meta"],
    summary="List the API's sections",
    responses=inline_serializer(
        name="ApiRoot",
        fields={
            "name": serializers.CharField(),
            "version": serializers.CharField(),
            "sections": serializers.DictField(child=serializers.URLField()),
        },
    ),
)
class ApiRootView(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    def get(self, request):
        sections = {name: reverse(url_name, request=request) for name, url_name in api_sections()}
        return Response({"name": "Hypex API", "version": "v1", "sections": sections})


@csrf_exempt  # a 404 changes nothing; without this, unsafe methods would get the HTML CSRF page
def api_not_found(request, *args, **kwargs) -> JsonResponse:
    """Any path under /api/v1/ that no route matches (a wrong id included): 404 in the error format."""
    return JsonResponse(error_body(code="not_found", message="No API endpoint at this address."), status=404)


def not_found(request, exception=None):
    """handler404: the error format under /api/, the site's 404 page elsewhere."""
    if is_api_request(request):
        return api_not_found(request)
    return page_not_found(request, exception)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: the error format under /api/ (a session-cookie client without the token)."""
    if is_api_request(request):
        body = error_body(code="permission_denied", message="CSRF token missing or incorrect.")
        return JsonResponse(body, status=403)
    return default_csrf_failure(request, reason=reason)
