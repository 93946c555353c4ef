"""Invoices and credit notes for apps: the signed-in customer's own, listed per order and downloaded as
PDFs. Anything not theirs is 404 (never 403), so numbers cannot be probed."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apibase.errors import ERROR_RESPONSES, ErrorSerializer

from ..selectors import document_for_customer, order_documents_of_customer
from ..views import pdf_response
from .serializers import DocumentSerializer


@extend_schema(
    tags=["orders"],
    summary="The invoice and credit notes of one of the signed-in customer's orders",
    description="The invoice is issued when the order is paid; each refund adds a credit note. Oldest first.",
    responses={
        200: DocumentSerializer(many=True),
        **ERROR_RESPONSES,
        404: OpenApiResponse(ErrorSerializer, description="No such order of yours."),
    },
)
class OrderDocumentListView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, number: str):
        documents = order_documents_of_customer(user=request.user, order_number=number)
        if documents is None:
            raise NotFound("No such order.")
        return Response(
            DocumentSerializer(documents.select_related("order"), many=True, context={"request": request}).data
        )


@extend_schema(
    tags=["orders"],
    summary="Download an invoice or credit note of the signed-in customer as a PDF",
    description="`application/pdf`, as an attachment named after the document. Errors are JSON.",
    responses={
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
        **ERROR_RESPONSES,
        404: OpenApiResponse(ErrorSerializer, description="No such invoice or credit note of yours."),
    },
)
class DocumentPdfView(APIView):
    permission_classes = [IsAuthenticated]

    def perform_content_negotiation(self, request, force=False):
        # the answer is the PDF (an HttpResponse, not rendered) or an error, which is always JSON,
        # whatever the client accepts (an `Accept: application/pdf` must not turn a 404 into a 406)
        return JSONRenderer(), JSONRenderer.media_type

    def get(self, request, number: str):
        document = document_for_customer(number=number, user=request.user)
        if document is None:
            raise NotFound("No such invoice or credit note.")
        return pdf_response(document)
