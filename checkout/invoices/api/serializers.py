"""Invoices and credit notes as the API lists them; the PDF itself is `GET /api/v1/invoices/{number}/pdf/`."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from apibase.money import Money, MoneySerializer

from ..models import DocumentKind


class DocumentSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="e.g. 2026-000001 (invoice) or CN-2026-000001 (credit note).")
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    issued_at = serializers.DateTimeField()
    order = serializers.CharField(source="order.number", help_text="The order's number.")
    total = serializers.SerializerMethodField(help_text="Invoiced, or credited (a credit note).")
    tax = serializers.DecimalField(source="total_tax", max_digits=12, decimal_places=2)
    credits_invoice = serializers.CharField(
        source="invoice.number", allow_null=True, help_text="A credit note's invoice; null on invoices."
    )
    pdf = serializers.SerializerMethodField(help_text="Where to download the PDF (application/pdf).")

    def get_total(self, document) -> MoneySerializer:
        return MoneySerializer(Money(document.currency, document.total_excl_tax, document.total_incl_tax)).data

    def get_pdf(self, document) -> str:
        path = reverse("api:invoice-pdf", kwargs={"number": document.number})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
