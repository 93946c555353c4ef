"""Writes on returns (RMA): the request, staff decisions per line, goods received (and restocked), and
the refund through the order's gateway. Keyword-only, typed, named <entity>_<action> (docs/adr/0044).

Every step runs in one transaction that first takes the order's row lock (`order.services.order_lock`),
then the return request's, then - when goods go back on the shelf - the stock records by id
(`partner.services.stockrecords_restock`): the fixed order of ADR 0010. The refund is the order's
existing per-line refund (`payment.services.order_refund`), which takes the same order lock. The customer
hears of each step by email through the outbox, written in the step's transaction (ADR 0024).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from catalogue.partner.services import stockrecords_restock
from checkout.order.services import order_lock, order_note_add
from checkout.payment.services import order_refund

from .errors import ReturnInvalid, ReturnStateError
from .events import return_requested_publish
from .models import ReturnLine, ReturnReason, ReturnRequest
from .notifications import return_notification_add
from .selectors import order_return_eligibility, order_returnable_lines, return_refund_quote

Status = ReturnRequest.Status
Decision = ReturnLine.Decision


@dataclass(frozen=True)
class ReturnLineInput:
    """One line the customer wants to return: the order line, how many units and why (a reason code)."""

    order_line_id: int
    quantity: int
    reason_code: str


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _lock(return_request) -> tuple[object, ReturnRequest]:
    """The order's lock, then the request's (ADR 0010). Call inside transaction.atomic()."""
    order = order_lock(order=return_request.order)
    locked = ReturnRequest.objects.select_for_update().get(pk=return_request.pk)
    return order, locked


def _expect(locked: ReturnRequest, status: str, step: str) -> None:
    if locked.status != status:
        raise ReturnStateError(f"Return {locked.pk} is '{locked.status}'; it cannot be {step} now.")


def return_request_create(*, order, lines: list[ReturnLineInput], by=None, comment: str = "") -> ReturnRequest:
    """Ask to return units of `order`'s lines, each with a reason. The one place a return request is
    made (pages, guest link and API all call it).

    Under the order's row lock: the order must be Delivered and inside the policy's window
    (`ReturnStateError`, 409: `return_order_not_delivered`, `return_window_closed`,
    `return_nothing_left`); each line must be on the order, at most once, with an accepted reason and at
    most the units still returnable (`ReturnInvalid`, 400). The customer is emailed ("requested")."""
    with transaction.atomic():
        locked = order_lock(order=order)
        eligibility = order_return_eligibility(order=locked)
        if not eligibility.allowed:
            raise ReturnStateError(eligibility.message, code=eligibility.code)
        if not lines:
            raise ReturnInvalid("Choose at least one item to return.", code="return_lines_required")
        ids = [item.order_line_id for item in lines]
        if len(ids) != len(set(ids)):
            raise ReturnInvalid("Each item may appear once.", code="return_line_duplicate")
        returnable = {item.line.pk: item for item in order_returnable_lines(order=locked)}
        reasons = {reason.code: reason for reason in ReturnReason.objects.filter(is_active=True)}
        request = ReturnRequest(order=locked, requested_by=_user(by), comment=comment.strip(), currency=locked.currency)
        new_lines = []
        for item in lines:
            available = returnable.get(item.order_line_id)
            if available is None:
                raise ReturnInvalid(f"Line {item.order_line_id} is not on order {locked.number}.",
                                    code="return_line_unknown")  # fmt: skip
            reason = reasons.get(item.reason_code)
            if reason is None:
                raise ReturnInvalid(f"'{item.reason_code}' is not a reason we accept.", code="return_reason_invalid")
            if item.quantity < 1 or item.quantity > available.returnable:
                raise ReturnInvalid(
                    f"At most {available.returnable} unit(s) of '{available.line.title}' can be returned.",
                    code="return_quantity_invalid",
                )
            new_lines.append(ReturnLine(order_line=available.line, quantity=item.quantity, reason=reason))
        request.save()
        for line in new_lines:
            line.request = request
        ReturnLine.objects.bulk_create(new_lines)
        return_notification_add(return_id=request.pk, kind="requested")
        return_requested_publish(return_request=request, lines=new_lines)
    return request


def return_lines_decide(*, return_request, decisions: dict[int, tuple[str, str]], by=None) -> ReturnRequest:
    """Decide lines of a requested return at once: {return line id: ("approved" | "rejected", note to the
    customer)}. Each line is decided once (`return_line_decided`, 409). Once no line waits, the request
    is "approved" (at least one line approved) or "rejected" and the customer is emailed, once."""
    with transaction.atomic():
        order, locked = _lock(return_request)
        _expect(locked, Status.REQUESTED, "decided")
        lines = {line.pk: line for line in locked.lines.all()}
        if not decisions:
            raise ReturnInvalid("Choose at least one line.", code="return_lines_required")
        for pk, (decision, note) in decisions.items():
            line = lines.get(int(pk))
            if line is None:
                raise ReturnInvalid(f"Line {pk} is not part of return {locked.pk}.", code="return_line_unknown")
            if decision not in (Decision.APPROVED, Decision.REJECTED):
                raise ReturnInvalid(f"'{decision}' is not a decision.", code="return_decision_invalid")
            if line.decision != Decision.PENDING:
                raise ReturnStateError(f"Line {pk} was already {line.decision}.", code="return_line_decided")
            line.decision = decision
            line.staff_note = note.strip()
            line.save(update_fields=["decision", "staff_note"])
        if all(line.decision != Decision.PENDING for line in lines.values()):
            approved = any(line.decision == Decision.APPROVED for line in lines.values())
            locked.status = Status.APPROVED if approved else Status.REJECTED
            locked.decided_at = timezone.now()
            locked.save(update_fields=["status", "decided_at", "updated_at"])
            who = getattr(_user(by), "email", "system")
            order_note_add(
                order=order, by=by, note_type="System", message=f"Return {locked.pk} {locked.status} by {who}."
            )
            return_notification_add(return_id=locked.pk, kind="approved" if approved else "rejected")
    return locked


def _pending(return_request, decision: str, notes: dict[int, str] | None, note: str) -> dict[int, tuple[str, str]]:
    if notes is None:
        waiting = return_request.lines.filter(decision=Decision.PENDING).values_list("pk", flat=True)
        return {pk: (decision, note) for pk in waiting}
    return {int(pk): (decision, text or note) for pk, text in notes.items()}


def return_lines_approve(*, return_request, notes: dict[int, str] | None = None, note: str = "", by=None):
    """Approve lines of a requested return: `notes` {return line id: note to the customer}, or None for
    every line still waiting (with `note`); see `return_lines_decide`."""
    decisions = _pending(return_request, Decision.APPROVED, notes, note)
    return return_lines_decide(return_request=return_request, decisions=decisions, by=by)


def return_lines_reject(*, return_request, notes: dict[int, str] | None = None, note: str = "", by=None):
    """Reject lines of a requested return; see `return_lines_approve`."""
    decisions = _pending(return_request, Decision.REJECTED, notes, note)
    return return_lines_decide(return_request=return_request, decisions=decisions, by=by)


def return_receive(*, return_request, restock: dict[int, bool] | None = None, by=None) -> ReturnRequest:
    """Staff received the approved lines' goods. `restock` {return line id: back into stock?} (default:
    yes for each approved line). Restocked units go back to the line's stock record under row locks in
    ADR 0010's order (order, request, stock records by id). The customer is emailed ("received")."""
    restock = {int(pk): bool(value) for pk, value in (restock or {}).items()}
    with transaction.atomic():
        order, locked = _lock(return_request)
        _expect(locked, Status.APPROVED, "received")
        approved = {
            line.pk: line for line in locked.lines.select_related("order_line") if line.decision == Decision.APPROVED
        }
        unknown = set(restock) - set(approved)
        if unknown:
            raise ReturnInvalid(f"Line(s) {sorted(unknown)} are not approved lines of return {locked.pk}.",
                                code="return_line_unknown")  # fmt: skip
        units: dict[int, int] = {}
        for pk, line in approved.items():
            line.restocked = restock.get(pk, True)
            line.save(update_fields=["restocked"])
            if line.restocked and line.order_line.stockrecord_id:
                record = line.order_line.stockrecord_id
                units[record] = units.get(record, 0) + line.quantity
        stockrecords_restock(quantities=units)
        locked.status = Status.RECEIVED
        locked.received_at = timezone.now()
        locked.save(update_fields=["status", "received_at", "updated_at"])
        message = f"Return {locked.pk} received; {sum(units.values())} unit(s) back in stock."
        order_note_add(order=order, by=by, note_type="System", message=message)
        return_notification_add(return_id=locked.pk, kind="received")
    return locked


def return_refund(*, return_request, by=None) -> ReturnRequest:
    """Refund a received return through the order's gateway: the approved units at the price paid for
    them (the order's per-line refund, `order_refund`, Idempotency-Key safe at the gateway), minus the
    restocking fees of their reasons. A return whose fees take the whole amount is marked refunded
    with nothing paid back. Raises `RefundError` (409) when the order's refund refuses (units already
    refunded from the order screen), `PaymentProviderError` (502) when the gateway does. The customer
    is emailed once ("refunded", with the refund's credit note attached); `order_refund` is told not to
    send its own refund receipt."""
    with transaction.atomic():
        order, locked = _lock(return_request)
        _expect(locked, Status.RECEIVED, "refunded")
        quote = return_refund_quote(return_request=locked)
        event = None
        if quote.net > 0:
            event = order_refund(
                order=order, lines=quote.lines, amount=quote.net, by=by, reason=f"Return {locked.pk}", notify=False
            )
        locked.status = Status.REFUNDED
        locked.refund_amount = quote.net
        locked.fee_amount = quote.fee
        locked.refund_event = event
        locked.refunded_at = timezone.now()
        locked.save(
            update_fields=["status", "refund_amount", "fee_amount", "refund_event", "refunded_at", "updated_at"]
        )
        return_notification_add(return_id=locked.pk, kind="refunded")
    return locked
