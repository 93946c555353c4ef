"""The invoice PDF, opened with pypdf: merchant, customer, numbers, each line with quantity, unit price,
rate and tax, totals per rate, shipping and the grand total in pounds; drawn from the stored snapshot."""

from __future__ import annotations

import copy
import io

from pypdf import PdfReader

from checkout.invoices.models import Document
from checkout.invoices.pdf import content_pdf, document_pdf
from content.snippets import SiteContactSettings
from tests.checkout.invoices.pdf_text import pdf_fonts, pdf_text
from tests.checkout.lifecycle import order_pay, order_place


def test_the_invoice_pdf_shows_everything_a_tax_invoice_needs(taxed_paid_order):
    invoice = Document.objects.get(order=taxed_paid_order)

    pdf = document_pdf(document=invoice)

    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for expected in [
        "Hypex",  # the shop's name
        "12 Market Street",  # the CMS contact settings
        "accounts@hypex.example",
        f"Invoice {invoice.number}",
        f"Order: {taxed_paid_order.number}",
        "Sam Shopper",  # billing and shipping address
        "SW1A 1AA",
        "shopper@example.com",
        "Linen Shirt",
        "£25.00",  # unit price excl. tax
        "20%",
        "£50.00",  # the line: net, tax, total
        "£10.00",
        "£60.00",
        "Shipping: Express",
        "£9.95",
        "£1.99",
        "£11.94",
        "Tax per rate",
        "£59.95",  # totals: net, tax, grand total
        "£11.99",
        "Grand total: £71.94",
    ]:
        assert expected in text, expected


def test_the_pdf_embeds_the_fonts_shipped_with_reportlab(taxed_paid_order):
    pdf = document_pdf(document=Document.objects.get(order=taxed_paid_order))

    fonts = pdf_fonts(pdf)
    # Bitstream Vera from reportlab's wheel, embedded (as subsets); no standard font left to the viewer
    assert {name.split("+")[-1] for name in fonts} == {"BitstreamVeraSans-Roman", "BitstreamVeraSans-Bold"}
    assert all(fonts.values()), fonts


def test_the_pdf_is_drawn_from_what_was_stored_when_issued(taxed_paid_order, merchant):
    invoice = Document.objects.get(order=taxed_paid_order)
    before = document_pdf(document=invoice)
    # later changes to the shop's details and the order do not touch an issued invoice
    SiteContactSettings.objects.filter(pk=merchant.pk).update(address="Somewhere else entirely")
    taxed_paid_order.lines.update(title="Renamed product")

    after = document_pdf(document=Document.objects.get(pk=invoice.pk))

    assert after == before  # the same bytes: rendered from the snapshot, invariantly
    assert "12 Market Street" in pdf_text(after) and "Renamed product" not in pdf_text(after)


def test_totals_are_shown_per_tax_rate(taxed_paid_order):
    content = copy.deepcopy(Document.objects.get(order=taxed_paid_order).content)
    content["rows"].append(
        {"description": "Children's book", "discount": None, "quantity": 1, "unit_price_excl_tax": "8.00",
         "tax_rate": "0.0000", "net": "8.00", "tax": "0.00", "gross": "8.00"}
    )  # fmt: skip
    content["tax_summary"] = [
        {"tax_rate": "0.0000", "net": "8.00", "tax": "0.00", "gross": "8.00"},
        {"tax_rate": "0.2000", "net": "59.95", "tax": "11.99", "gross": "71.94"},
    ]
    content["totals"] = {"net": "67.95", "tax": "11.99", "gross": "79.94"}

    text = pdf_text(content_pdf(content))

    assert "0%" in text and "£8.00" in text and "Grand total: £79.94" in text
    assert text.index("Tax per rate") < text.rindex("£8.00") < text.rindex("£71.94")


def test_an_invoice_with_many_lines_runs_onto_more_pages(taxed_paid_order):
    content = copy.deepcopy(Document.objects.get(order=taxed_paid_order).content)
    content["rows"] = content["rows"][:1] * 80 + content["rows"][1:]

    pdf = content_pdf(content)

    text = pdf_text(pdf)
    assert text.count("Linen Shirt") == 80
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    assert text.count("Unit net") == len(PdfReader(io.BytesIO(pdf)).pages)  # the header on every page
    assert "Grand total: £71.94" in text


def test_a_discounted_line_shows_its_discount(user, make_voucher, dummy_payments):
    order = order_place(user=user, quantity=2, price="10.00", voucher=make_voucher(minimum="10.00", percent="10.00"))
    order_pay(order)
    invoice = Document.objects.get(order=order)

    [line, _shipping] = invoice.content["rows"]

    assert (line["unit_price_excl_tax"], line["gross"], line["discount"]) == ("10.00", "18.00", "2.00")
    text = pdf_text(document_pdf(document=invoice))
    assert "after a discount of £2.00" in text and "£18.00" in text
