"""Storefront downloads of invoices and credit notes: the customer from their order page, the guest
from the signed order-status page (the link carries the order's key; the session holds the email the
guest gave there, and both must match, as for the page)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from .models import Document
from .selectors import document_for_customer


def pdf_response(document: Document) -> HttpResponse:
    from .pdf import document_pdf  # noqa: PLC0415 - reportlab only in a process that draws a PDF (ADR 38)

    response = HttpResponse(document_pdf(document=document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def document_download(request: HttpRequest, number: str) -> HttpResponse:
    document = document_for_customer(
        number=number,
        user=request.user,
        key=request.GET.get("key", ""),
        # the email the guest gave on Oscar's status form, which opens the status page with the link
        email=request.session.get("anon_order_email", ""),
    )
    if document is None:
        raise Http404("No such invoice.")
    return pdf_response(document)
