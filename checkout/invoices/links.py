"""Where a customer downloads a document: the signed-in owner's link, or the guest's with the order's key."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from .models import Document


def document_path(document: Document) -> str:
    path = reverse("invoices:document-pdf", kwargs={"number": document.number})
    order = document.order
    if order.user_id is None:
        path += "?" + urlencode({"key": order.verification_hash()})
    return path
