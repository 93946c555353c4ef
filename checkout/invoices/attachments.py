"""The documents an order email carries: the invoice on the "paid" email, the credit note on each
refund's email. Built when the outbox delivers the email, from the stored document (ADR 0045), so a
retried delivery attaches the same PDF and nothing is rendered inside the payment's transaction."""

from __future__ import annotations

from .models import Document
from .selectors import order_invoice


def order_email_attachments(*, order, kind: str, refund=None) -> list[tuple[str, bytes, str]]:
    """(filename, PDF bytes, "application/pdf") for the `kind` email about `order`; [] when it carries
    none (other kinds; an order paid before invoices existed; a refund without a credit note)."""
    if kind == "payment":
        document = order_invoice(order=order)
    elif kind == "refund" and refund is not None:
        document = Document.objects.filter(order=order, refund=refund).first()
    else:
        document = None
    if document is None:
        return []
    from .pdf import document_pdf  # noqa: PLC0415 - reportlab only in a process that draws a PDF (ADR 38)

    return [(document.filename, document_pdf(document=document), "application/pdf")]
