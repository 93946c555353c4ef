"""Payment pages: the dummy gateway's hosted pay page and the Stripe return URL."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from checkout.order.statuses import can_be_paid

from . import services
from .errors import PaymentProviderError
from .gateways import gateway_codes
from .models import PaymentAttempt

RESULT_MESSAGES = {
    "paid": "Payment approved. Thank you!",
    "duplicate": "This payment was already recorded.",
    "declined": "Payment declined. Your order is still waiting for payment; you can try again.",
    "late": "The payment was taken, but the order had already been closed. We will refund you.",
    "mismatch": "The payment did not match the order and was not accepted.",
    "failed": "The payment did not go through. You can try again.",
    "pending": "The payment is still being processed. We will email you when it completes.",
    "unavailable": "We could not check the payment with the provider just now. Reload this page in a moment.",
}


@require_http_methods(["GET", "POST"])
def dummy_pay_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the order and amount with Approve / Decline; POST `decision=approve|decline` answers."""
    if "dummy" not in gateway_codes():
        raise Http404("The dummy gateway is not enabled.")
    attempt = get_object_or_404(PaymentAttempt.objects.select_related("order"), token=token, gateway="dummy")
    outcome = None
    status = 200
    if request.method == "POST":
        decision = request.POST.get("decision")
        if attempt.status != PaymentAttempt.Status.STARTED:
            outcome = "duplicate" if attempt.status == PaymentAttempt.Status.SUCCEEDED else "failed"
        elif decision == "approve":
            outcome = services.payment_confirm(attempt=attempt, amount=attempt.amount, currency=attempt.currency)
        elif decision == "decline":
            services.payment_fail(attempt=attempt, reason="declined on the dummy pay page")
            outcome = "declined"
        else:
            status = 400
        attempt.refresh_from_db()
    context = {
        "attempt": attempt,
        "order": attempt.order,
        "order_can_be_paid": can_be_paid(attempt.order.status),
        "outcome": outcome,
        "message": RESULT_MESSAGES.get(outcome, "Choose approve or decline." if status == 400 else ""),
    }
    return render(request, "payment/dummy_pay_page.html", context, status=status)


def stripe_return(request: HttpRequest) -> HttpResponse:
    """Where Stripe.js sends the payer back (`?payment_intent=pi_...`). The result is fetched from Stripe
    server-side; the query string is only used to find the attempt."""
    reference = request.GET.get("payment_intent", "")
    attempt = get_object_or_404(PaymentAttempt.objects.select_related("order"), gateway="stripe", reference=reference)
    try:
        outcome, status = services.payment_attempt_sync(attempt=attempt), 200
    except PaymentProviderError:
        outcome, status = "unavailable", 502
    attempt.refresh_from_db()
    context = {
        "attempt": attempt,
        "order": attempt.order,
        "order_can_be_paid": can_be_paid(attempt.order.status),
        "outcome": outcome,
        "message": RESULT_MESSAGES[outcome],
    }
    return render(request, "payment/dummy_pay_page.html", context, status=status)
