"""Storefront downloads of invoices and credit notes: the customer from their order page, the guest
from the signed order-status page (the link carries the order's key)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from .models import Document
from .pdf import document_pdf
from .selectors import document_for_customer


def pdf_response(document: Document) -> HttpResponse:
    response = HttpResponse(document_pdf(document=document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def document_download(request: HttpRequest, number: str) -> HttpResponse:
    key = request.GET.get("key", "")
    document = document_for_customer(number=number, user=request.user, key=key if isinstance(key, str) else "")
    if document is None:
        raise Http404("No such invoice.")
    return pdf_response(document)
