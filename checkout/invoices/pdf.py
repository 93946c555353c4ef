"""The PDF of an invoice or credit note, drawn with reportlab from the document's stored snapshot
(`Document.content`), so the same document renders the same way forever (ADR 0045).

Fonts: Bitstream Vera, the TrueType fonts shipped inside reportlab's own wheel, registered explicitly
and embedded in every PDF (nothing fetched; "£" and "€" are in them). `invariant` rendering leaves out
the creation time and random ids, so rendering a document twice gives the same bytes.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

from apibase.money import money_display

from .models import Document

FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
FONT = "HypexVera"
FONT_BOLD = "HypexVera-Bold"


def _fonts_register() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "VeraBd.ttf")))


TEXT = ParagraphStyle("text", fontName=FONT, fontSize=9, leading=12)
SMALL = ParagraphStyle("small", parent=TEXT, fontSize=7.5, leading=9, textColor=colors.HexColor("#555555"))
TITLE = ParagraphStyle("title", parent=TEXT, fontName=FONT_BOLD, fontSize=18, leading=22)
HEADING = ParagraphStyle("heading", parent=TEXT, fontName=FONT_BOLD, fontSize=10, leading=13)
HEADING_RIGHT = ParagraphStyle("heading_right", parent=HEADING, alignment=TA_RIGHT)
TOTAL = ParagraphStyle("total", parent=TEXT, fontName=FONT_BOLD, fontSize=12, leading=15, alignment=TA_RIGHT)


def _p(text: str, style: ParagraphStyle = TEXT) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _rate(rate: str | None) -> str:
    if rate is None:
        return "-"
    percent = (Decimal(rate) * 100).normalize()
    return f"{percent:f}%"


def _block(title: str, lines: list[str]) -> list:
    return [_p(title, HEADING), _p("\n".join(lines) if lines else "-")]


def _grid(data: list[list], widths: list[float], *, header: bool = True, bold_last: bool = False, **kwargs) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0, **kwargs)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.HexColor("#999999")),
    ]
    if header:
        style += [("FONTNAME", (0, 0), (-1, 0), FONT_BOLD), ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black)]
    if bold_last:
        style += [("FONTNAME", (0, -1), (-1, -1), FONT_BOLD), ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black)]
    table.setStyle(TableStyle(style))
    return table


def content_pdf(content: dict) -> bytes:
    """The PDF of a document's `content` snapshot."""
    _fonts_register()
    currency = content["currency"]

    def money(amount: str) -> str:
        return money_display(Decimal(amount), currency)

    credit = content["kind"] == "credit_note"
    merchant = content["merchant"]
    customer = content["customer"]
    story: list = []
    title = "Credit note" if credit else "Invoice"
    story.append(_p(f"{merchant['name']}", HEADING))
    contact = [*merchant["address"], merchant["email"], merchant["phone"]]
    story.append(_p("\n".join(line for line in contact if line), SMALL))
    story.append(Spacer(1, 6 * mm))
    story.append(_p(f"{title} {content['number']}", TITLE))
    facts = [
        f"{title} date: {_date(content['issued_on'])}",
        f"Order: {content['order']['number']} (placed {_date(content['order']['placed_on'])})",
    ]
    if credit:
        invoice = content["invoice"]
        facts.append(f"Credits invoice {invoice['number']} of {_date(invoice['issued_on'])}")
    story.append(_p("\n".join(facts)))
    story.append(Spacer(1, 5 * mm))
    addresses = Table(
        [
            [
                _block("Billing address", customer["billing_address"] + [customer["email"]]),
                _block("Shipping address", customer["shipping_address"]),
            ]
        ],  # fmt: skip
        colWidths=[85 * mm, 85 * mm],
    )
    addresses.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story += [addresses, Spacer(1, 6 * mm)]

    data = [["Item", "Qty", "Unit net", "Tax rate", "Net", "Tax", "Total"]]
    for row in content["rows"]:
        description = [_p(row["description"])]
        if row.get("discount"):
            description.append(_p(f"after a discount of {money(row['discount'])} (incl. tax)", SMALL))
        data.append([
            description,
            "" if row["quantity"] is None else str(row["quantity"]),
            "" if row["quantity"] is None else money(row["unit_price_excl_tax"]),
            _rate(row["tax_rate"]),
            money(row["net"]),
            money(row["tax"]),
            money(row["gross"]),
        ])  # fmt: skip
    story.append(_grid(data, [62 * mm, 12 * mm, 22 * mm, 16 * mm, 20 * mm, 18 * mm, 22 * mm]))
    story.append(Spacer(1, 5 * mm))

    summary = [["Tax rate", "Net", "Tax", "Total"]]
    for group in content["tax_summary"]:
        summary.append([_rate(group["tax_rate"]), money(group["net"]), money(group["tax"]), money(group["gross"])])
    totals = content["totals"]
    label = "Total credited" if credit else "Grand total"
    summary.append([label, money(totals["net"]), money(totals["tax"]), money(totals["gross"])])
    story.append(
        KeepTogether(
            [
                _p("Tax per rate", HEADING_RIGHT),
                _grid(summary, [40 * mm, 30 * mm, 30 * mm, 30 * mm], bold_last=True, hAlign="RIGHT"),
            ]
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.append(_p(f"{label}: {money(totals['gross'])}", TOTAL))

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{title} {content['number']}",
        author=merchant["name"],
        invariant=1,
        initialFontName=FONT,  # not Helvetica: every font in the file is one we embed
    )
    pdf.build(story)
    return buffer.getvalue()


def document_pdf(*, document: Document) -> bytes:
    """The PDF of an invoice or credit note, rendered from what was stored when it was issued."""
    return content_pdf(document.content)
