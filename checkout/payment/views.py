"""Payment pages: the dummy gateway's hosted pay page, the Stripe card page and its return URL.

A shopper who started the payment in this browser is sent on after the answer (the thank-you page, or
the order's pay page after a decline: `checkout.payment_pages.payment_landing`); any other visitor
(an app's web view, a second tab) sees the result here.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from checkout.checkout.payment_pages import payment_landing
from checkout.order.statuses import can_be_paid

from . import services
from .errors import PaymentProviderError
from .gateways import gateway_codes
from .gateways.stripe import StripeGateway
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


def _result_page(request, *, attempt, outcome, message: str, status: int) -> HttpResponse:
    """The attempt's page: the amount, the order's status and, while it can still be paid, what to do."""
    context = {
        "attempt": attempt,
        "order": attempt.order,
        "order_can_be_paid": can_be_paid(attempt.order.status),
        "outcome": outcome,
        "message": message,
    }
    return render(request, "payment/dummy_pay_page.html", context, status=status)


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
        if outcome is not None:
            landing = payment_landing(request, order=attempt.order, outcome=outcome)
            if landing is not None:
                return landing
    message = RESULT_MESSAGES.get(outcome, "Choose approve or decline." if status == 400 else "")
    return _result_page(request, attempt=attempt, outcome=outcome, message=message, status=status)


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
    landing = payment_landing(request, order=attempt.order, outcome=outcome)
    if landing is not None:
        return landing
    return _result_page(request, attempt=attempt, outcome=outcome, message=RESULT_MESSAGES[outcome], status=status)


@require_http_methods(["GET"])
def stripe_pay_page(request: HttpRequest, token: str) -> HttpResponse:
    """Our card page for a Stripe attempt: Stripe.js's Payment Element, confirmed in the browser, which
    then comes back to `stripe_return`. The client secret is fetched from Stripe server-side."""
    if "stripe" not in gateway_codes() or not settings.STRIPE_PUBLISHABLE_KEY:
        raise Http404("Stripe is not enabled.")
    attempt = get_object_or_404(PaymentAttempt.objects.select_related("order"), token=token, gateway="stripe")
    if attempt.status != PaymentAttempt.Status.STARTED or not can_be_paid(attempt.order.status):
        raise Http404("This payment is no longer open.")
    try:
        intent = StripeGateway().intent_fetch(reference=attempt.reference)
    except PaymentProviderError:
        return _result_page(
            request, attempt=attempt, outcome="unavailable", message=RESULT_MESSAGES["unavailable"], status=502
        )
    context = {
        "attempt": attempt,
        "order": attempt.order,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "client_secret": intent.client_secret,
        "return_url": request.build_absolute_uri(reverse("payment-stripe-return")),
    }
    return render(request, "payment/stripe_pay_page.html", context)
