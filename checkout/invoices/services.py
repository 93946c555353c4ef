"""Writes on invoices and credit notes (ADR 0045): keyword-only, typed, <entity>_<action>.

`invoice_issue` runs in the transaction that marks an order paid (`order.services.order_status_set`,
which `payment.services.payment_confirm` calls under the order's row lock); `credit_note_issue` runs in
the transaction of each refund (`payment.services.order_refund`, same lock). Both are idempotent: a
second call returns the document already issued, and a unique constraint stops a second one anyway.

Numbers come from `DocumentSequence`, one counter row per kind and year, locked (SELECT ... FOR UPDATE)
while the number is taken and the document stored. The lock comes after the order's (ADR 0010's order:
order, then vouchers, then stock records - then the counter, held only until commit). A rolled-back
transaction rolls the counter back with the document, so numbers are gap-free and never reused.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from oscar.core.loading import get_model

from apibase.money import money_round, money_text
from checkout.payment.refund_prices import line_refund_amount
from content.selectors import merchant_contact

from .models import NUMBER_PREFIX, Document, DocumentKind, DocumentSequence

PaymentEventQuantity = get_model("order", "PaymentEventQuantity")

#: the version of `Document.content`'s layout; `pdf.document_pdf` reads every version ever written
CONTENT_VERSION = 1
ZERO = Decimal("0.00")


def _number_take(*, kind: str, year: int) -> int:
    """The next number of `kind` in `year`. Call inside the transaction that stores the document: the
    counter row stays locked until it commits, and a rollback gives the number back."""
    sequence = DocumentSequence.objects.select_for_update().filter(kind=kind, year=year).first()
    if sequence is None:
        # the year's first document: create the row (ON CONFLICT DO NOTHING when another transaction
        # created it meanwhile; PostgreSQL waits for that one to end), then lock it
        DocumentSequence.objects.bulk_create([DocumentSequence(kind=kind, year=year)], ignore_conflicts=True)
        sequence = DocumentSequence.objects.select_for_update().get(kind=kind, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def _rate_text(rate) -> str | None:
    return None if rate is None else f"{Decimal(rate):.4f}"


def _address(address) -> list[str]:
    return [str(part) for part in address.active_address_fields()] if address is not None else []


def _row(*, description: str, quantity: int | None, net: Decimal, gross: Decimal, rate, discount=None) -> dict:
    unit = money_round(net / quantity) if quantity else net
    return {
        "description": description,
        "discount": money_text(discount) if discount else None,
        "quantity": quantity,
        "unit_price_excl_tax": money_text(unit),
        "tax_rate": _rate_text(rate),
        "net": money_text(net),
        "tax": money_text(gross - net),
        "gross": money_text(gross),
    }


def _summary(rows: list[dict]) -> tuple[list[dict], dict]:
    """Totals per tax rate (shipping included) and the grand totals."""
    per_rate: dict = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for row in rows:
        sums = per_rate[row["tax_rate"]]
        sums[0] += Decimal(row["net"])
        sums[1] += Decimal(row["tax"])
        sums[2] += Decimal(row["gross"])
    by_rate = [
        {"tax_rate": rate, "net": money_text(net), "tax": money_text(tax), "gross": money_text(gross)}
        for rate, (net, tax, gross) in sorted(per_rate.items(), key=lambda item: Decimal(item[0] or -1))
    ]
    totals = {key: money_text(sum((Decimal(row[key]) for row in rows), ZERO)) for key in ("net", "tax", "gross")}
    return by_rate, totals


def _net_of(gross: Decimal, *, excl: Decimal, incl: Decimal) -> Decimal:
    """The net part of `gross`, split as the invoiced amounts were split (exact for a whole line)."""
    if not incl:
        return gross
    return money_round(gross * excl / incl)


def _header(*, order, kind: str, issued_at) -> dict:
    merchant = merchant_contact()
    shipping = _address(order.shipping_address)
    billing = _address(order.billing_address) or shipping
    return {
        "version": CONTENT_VERSION,
        "kind": kind,
        "issued_on": timezone.localdate(issued_at).isoformat(),
        "currency": order.currency,
        "merchant": {
            "name": merchant.name,
            "address": [line.strip() for line in merchant.address.splitlines() if line.strip()],
            "email": merchant.email,
            "phone": merchant.phone,
        },
        "customer": {"email": order.email, "billing_address": billing, "shipping_address": shipping},
        "order": {"number": order.number, "placed_on": timezone.localdate(order.date_placed).isoformat()},
    }


def _invoice_rows(order) -> list[dict]:
    rows = []
    for line in order.lines.order_by("pk"):
        discount = line.line_price_before_discounts_incl_tax - line.line_price_incl_tax
        rows.append(
            _row(
                description=line.title + (f" ({line.partner_sku})" if line.partner_sku else ""),
                quantity=line.quantity,
                net=line.line_price_excl_tax,
                gross=line.line_price_incl_tax,
                rate=line.tax_rate,
                discount=discount if discount > 0 else None,
            )
        )
        # the unit price before discounts, as the shopper saw it
        rows[-1]["unit_price_excl_tax"] = money_text(line.unit_price_excl_tax)
    rows.append(
        _row(
            description=f"Shipping: {order.shipping_method}" if order.shipping_method else "Shipping",
            quantity=None,
            net=order.shipping_excl_tax,
            gross=order.shipping_incl_tax,
            rate=order.shipping_tax_rate,
        )
        | {"shipping": True}
    )
    return rows


def _store(*, kind: str, order, issued_at, content: dict, totals: dict, **links) -> Document:
    year = timezone.localdate(issued_at).year
    sequence = _number_take(kind=kind, year=year)
    number = f"{NUMBER_PREFIX[kind]}{year}-{sequence:06d}"
    content["number"] = number
    return Document.objects.create(
        kind=kind,
        number=number,
        year=year,
        sequence=sequence,
        order=order,
        issued_at=issued_at,
        currency=order.currency,
        total_excl_tax=Decimal(totals["net"]),
        total_tax=Decimal(totals["tax"]),
        total_incl_tax=Decimal(totals["gross"]),
        content=content,
        **links,
    )


def invoice_issue(*, order) -> Document:
    """The invoice of `order`, issued now if it has none: numbered, with a snapshot of everything it
    shows. Call inside the transaction that marks the order paid, holding the order's row lock (the lock
    makes the "has it one?" check safe; the unique constraint `invoice_one_per_order` backs it)."""
    with transaction.atomic():
        existing = Document.objects.filter(order=order, kind=DocumentKind.INVOICE).first()
        if existing is not None:
            return existing
        issued_at = timezone.now()
        rows = _invoice_rows(order)
        by_rate, totals = _summary(rows)
        content = _header(order=order, kind=DocumentKind.INVOICE, issued_at=issued_at)
        content |= {"rows": rows, "tax_summary": by_rate, "totals": totals}
        return _store(kind=DocumentKind.INVOICE, order=order, issued_at=issued_at, content=content, totals=totals)


def _credit_rows(*, refund, invoice: Document) -> list[dict]:
    """What `refund` gave back, row by row: the units of each line priced as `order_refund` priced them.
    The rest of the amount is shipping when it fits in the shipping charge not yet credited; otherwise it
    is spread over the invoice's tax rates in proportion to what was invoiced at each."""
    rows = []
    refunded_before = dict(
        PaymentEventQuantity.objects.filter(
            event__order=refund.order, event__event_type=refund.event_type, event__pk__lt=refund.pk
        )
        .values("line")
        .annotate(units=Sum("quantity"))
        .values_list("line", "units")
    )
    for quantity in refund.line_quantities.select_related("line").order_by("line__pk"):
        line = quantity.line
        gross = line_refund_amount(line, already=refunded_before.get(line.pk, 0), quantity=quantity.quantity)
        net = _net_of(gross, excl=line.line_price_excl_tax, incl=line.line_price_incl_tax)
        rows.append(
            _row(
                description=line.title + (f" ({line.partner_sku})" if line.partner_sku else ""),
                quantity=quantity.quantity,
                net=net,
                gross=gross,
                rate=line.tax_rate,
            )
        )
    left = money_round(refund.amount - sum((Decimal(row["gross"]) for row in rows), ZERO))
    if not left:
        return rows
    shipping = next((row for row in invoice.content["rows"] if row.get("shipping")), None)
    shipping_left = ZERO
    if shipping is not None:
        credited = (
            Decimal(row["gross"])
            for note in invoice.credit_notes.all()
            for row in note.content["rows"]
            if row.get("shipping")
        )
        shipping_left = Decimal(shipping["gross"]) - sum(credited, ZERO)
    if ZERO < left <= shipping_left:
        net = _net_of(left, excl=Decimal(shipping["net"]), incl=Decimal(shipping["gross"]))
        rows.append(_row(description=shipping["description"], quantity=None, net=net, gross=left,
                         rate=shipping["tax_rate"]) | {"shipping": True})  # fmt: skip
        return rows
    groups = [group for group in invoice.content["tax_summary"] if Decimal(group["gross"])]
    invoiced = sum((Decimal(group["gross"]) for group in groups), ZERO)
    spread = ZERO
    for index, group in enumerate(groups):
        gross = left - spread if index == len(groups) - 1 else money_round(left * Decimal(group["gross"]) / invoiced)
        spread += gross
        net = _net_of(gross, excl=Decimal(group["net"]), incl=Decimal(group["gross"]))
        description = "Refund not tied to items" if left > 0 else "Less: amount not refunded"
        rows.append(_row(description=description, quantity=None, net=net, gross=gross, rate=group["tax_rate"]))
    return rows


def credit_note_issue(*, refund) -> Document | None:
    """The credit note of `refund` (a "Refunded" payment event of `order_refund`), issued now if it has
    none. None when the order has no invoice to credit (a payment that arrived after the order was
    cancelled was never invoiced). Call inside the refund's transaction, holding the order's row lock."""
    with transaction.atomic():
        existing = Document.objects.filter(refund=refund).first()
        if existing is not None:
            return existing
        invoice = Document.objects.filter(order_id=refund.order_id, kind=DocumentKind.INVOICE).first()
        if invoice is None:
            return None
        order = refund.order
        issued_at = timezone.now()
        rows = _credit_rows(refund=refund, invoice=invoice)
        by_rate, totals = _summary(rows)
        content = _header(order=order, kind=DocumentKind.CREDIT_NOTE, issued_at=issued_at)
        content |= {
            "rows": rows,
            "tax_summary": by_rate,
            "totals": totals,
            "invoice": {"number": invoice.number, "issued_on": invoice.content["issued_on"]},
        }
        return _store(
            kind=DocumentKind.CREDIT_NOTE, order=order, issued_at=issued_at, content=content, totals=totals,
            refund=refund, invoice=invoice,
        )  # fmt: skip
