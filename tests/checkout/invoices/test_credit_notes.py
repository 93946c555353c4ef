"""A credit note for each refund: numbered in its own gap-free sequence, in the refund's transaction,
crediting the units refunded (and the shipping charge when the refund covers it) at the rates invoiced."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from checkout.invoices.models import Document, DocumentKind
from checkout.invoices.pdf import document_pdf
from checkout.invoices.services import credit_note_issue
from checkout.payment.services import order_refund
from tests.checkout.invoices.pdf_text import pdf_text

pytestmark = pytest.mark.usefixtures("dummy_payments")


def _year() -> int:
    return timezone.localdate().year


def test_a_line_refund_gets_a_credit_note_for_its_units(taxed_paid_order):
    invoice = Document.objects.get(order=taxed_paid_order, kind=DocumentKind.INVOICE)
    line = taxed_paid_order.lines.get()

    refund = order_refund(order=taxed_paid_order, lines={line.pk: 1})

    note = Document.objects.get(refund=refund)
    assert note.kind == DocumentKind.CREDIT_NOTE
    assert note.number == f"CN-{_year()}-000001"
    assert note.invoice == invoice
    assert (note.total_excl_tax, note.total_tax, note.total_incl_tax) == (
        Decimal("25.00"), Decimal("5.00"), Decimal("30.00"),
    )  # fmt: skip
    [row] = note.content["rows"]
    assert (row["quantity"], row["net"], row["tax"], row["tax_rate"]) == (1, "25.00", "5.00", "0.2000")
    text = pdf_text(document_pdf(document=note))
    assert f"Credit note CN-{_year()}-000001" in text
    assert f"Credits invoice {invoice.number}" in text
    assert "Linen Shirt" in text and "£30.00" in text and "Total credited" in text


def test_refunding_everything_credits_every_unit_and_the_shipping(taxed_paid_order):
    line = taxed_paid_order.lines.get()
    first = order_refund(order=taxed_paid_order, lines={line.pk: 1})

    rest = order_refund(order=taxed_paid_order)

    notes = list(Document.objects.filter(kind=DocumentKind.CREDIT_NOTE).order_by("sequence"))
    assert [n.refund_id for n in notes] == [first.pk, rest.pk]
    assert [n.number for n in notes] == [f"CN-{_year()}-000001", f"CN-{_year()}-000002"]
    rows = notes[1].content["rows"]
    assert [(r["description"], r["quantity"], r["gross"]) for r in rows] == [
        (rows[0]["description"], 1, "30.00"),
        ("Shipping: Express", None, "11.94"),
    ]
    assert sum(n.total_incl_tax for n in notes) == taxed_paid_order.total_incl_tax == Decimal("71.94")
    assert sum(n.total_tax for n in notes) == Decimal("11.99")


def test_an_amount_not_tied_to_lines_is_credited_at_the_invoiced_rates(taxed_paid_order):
    refund = order_refund(order=taxed_paid_order, amount=Decimal("10.00"))

    note = Document.objects.get(refund=refund)
    assert note.total_incl_tax == Decimal("10.00")
    assert [(r["description"], r["net"], r["tax"]) for r in note.content["rows"]] == [
        ("Shipping: Express", "8.33", "1.67")
    ]

    # more than is left of the shipping charge (1.94): spread over the rates invoiced
    bigger = order_refund(order=taxed_paid_order, amount=Decimal("50.00"))
    note = Document.objects.get(refund=bigger)
    assert [(r["description"], r["tax_rate"], r["net"], r["tax"]) for r in note.content["rows"]] == [
        ("Refund not tied to items", "0.2000", "41.67", "8.33")
    ]


def test_issuing_a_credit_note_again_returns_the_same_one(taxed_paid_order):
    refund = order_refund(order=taxed_paid_order, amount=Decimal("5.00"))
    note = Document.objects.get(refund=refund)

    assert credit_note_issue(refund=refund).pk == note.pk
    assert Document.objects.filter(kind=DocumentKind.CREDIT_NOTE).count() == 1


def test_a_refund_of_an_order_never_invoiced_has_no_credit_note(taxed_paid_order):
    # a payment that arrived after the order was cancelled is refunded, but was never invoiced
    Document.objects.filter(order=taxed_paid_order).delete()

    refund = order_refund(order=taxed_paid_order, amount=Decimal("5.00"))

    assert credit_note_issue(refund=refund) is None
    assert not Document.objects.exists()
