"""The API root: what /api/v1/ offers, as links."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

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
