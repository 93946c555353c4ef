"""Invoices and credit notes (ADR 0045).

A `Document` is either the invoice of a paid order (one per order, ever) or the credit note of one
refund (one per refund, ever). Its number comes from a gap-free sequence per kind and year
(`DocumentSequence`, a counter row locked while the number is taken). What the PDF shows is kept in
`content`, a snapshot taken at issue: merchant, addresses, lines, tax per rate and totals, so the same
document is rendered from it forever, whatever later happens to the order, the products or the CMS.
Documents are never changed or deleted.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", "Invoice"
    CREDIT_NOTE = "credit_note", "Credit note"


#: the number's prefix per kind: 2026-000001 for invoices, CN-2026-000001 for credit notes
NUMBER_PREFIX = {DocumentKind.INVOICE: "", DocumentKind.CREDIT_NOTE: "CN-"}


class DocumentSequence(models.Model):
    """The last number taken for one kind of document in one year. Taken only by
    `services._number_take`, holding this row's lock inside the transaction that stores the document,
    so a rolled-back issue gives its number back and no number is skipped or used twice."""

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="invoice_sequence_per_kind_year")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class Document(models.Model):
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    number = models.CharField(max_length=32, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="invoice_documents")
    #: a credit note's refund (the "Refunded" payment event `order_refund` records); empty on invoices
    refund = models.OneToOneField(
        "order.PaymentEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_note"
    )
    #: a credit note's invoice; empty on invoices
    invoice = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes")
    issued_at = models.DateTimeField()
    currency = models.CharField(max_length=3)
    total_excl_tax = models.DecimalField(max_digits=12, decimal_places=2)
    total_tax = models.DecimalField(max_digits=12, decimal_places=2)
    total_incl_tax = models.DecimalField(max_digits=12, decimal_places=2)
    #: everything the PDF shows, as issued (services._snapshot); rendered by `pdf.document_pdf`
    content = models.JSONField()

    class Meta:
        ordering = ["issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "sequence"], name="invoice_document_number_once"),
            models.UniqueConstraint(fields=["order"], condition=Q(kind="invoice"), name="invoice_one_per_order"),
            models.CheckConstraint(
                condition=Q(kind="invoice", refund__isnull=True, invoice__isnull=True)
                | Q(kind="credit_note", refund__isnull=False, invoice__isnull=False),
                name="invoice_credit_note_has_refund_and_invoice",
            ),
        ]
        indexes = [models.Index(fields=["order", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_credit_note(self) -> bool:
        return self.kind == DocumentKind.CREDIT_NOTE

    @property
    def filename(self) -> str:
        return f"{'credit-note' if self.is_credit_note else 'invoice'}-{self.number}.pdf"
