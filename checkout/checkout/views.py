"""Oscar's checkout pages (index with guest email, shipping address with the address book, shipping
method, payment, preview, thank-you), placing the order through the one placement service:

- the payment step lists the gateways the shop offers (`PAYMENT_GATEWAYS`) and keeps the shopper's
  choice in the checkout session; the preview shows it and cannot be reached without one;
- the order is written by `checkout.services.checkout_place_order`, the same function the API calls
  (basket, vouchers and stock records locked in one order, stock re-checked, ADR 0010);
- a product sold out meanwhile, a voucher used up meanwhile or a shipping method no longer offered
  sends the shopper back to the basket with the reason, the basket unfrozen;
- the new order waits in "Pending payment" and the shopper goes on to pay with the chosen gateway
  (`checkout.payment_pages`): the gateway's page, then the thank-you page, or, declined, the order's pay
  page to try again (ADR 0032).

Oscar's other checkout views are used as they are (`get_class` falls back to Oscar's module).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from oscar.apps.checkout import views as oscar_views
from oscar.apps.checkout.exceptions import FailedPreCondition

from checkout.basket.reminders import basket_contact_set
from checkout.basket.services import basket_refill_from_order
from checkout.order.links import order_pay_path, order_status_path
from checkout.order.services import order_cancel
from checkout.order.statuses import CANCELLED, can_be_paid, counts_as_revenue
from checkout.payment.selectors import payments_received

from .errors import CheckoutError
from .payment_pages import SESSION_ORDER_KEY, gateway_choices, gateway_offered, order_for_payer, payment_begin
from .services import checkout_place_order


def _first_message(error: ValidationError) -> str:
    return next(iter(error.messages), "This order cannot be placed.")


class IndexView(oscar_views.IndexView):
    """Oscar's first step (sign in, or continue as a guest with an email). A guest's email is also
    remembered against the basket, so a basket left here can be recalled to them (ADR 0046)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.is_guest_checkout() or form.is_new_account_checkout():
            basket_contact_set(basket=self.request.basket, email=form.cleaned_data["username"])
        return response


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        chosen = self.checkout_session.payment_method()
        ctx["gateways"] = gateway_choices()
        ctx["chosen_gateway"] = next((g for g in ctx["gateways"] if g.code == chosen), None)
        return ctx

    def check_payment_data_is_captured(self, request):
        """The preview needs a gateway the shop still offers (the payment step's own POST brings it)."""
        if request.method == "POST" and request.POST.get("action") != "place_order":
            return
        if not gateway_offered(self.checkout_session.payment_method()):
            raise FailedPreCondition(
                url=reverse("checkout:payment-details"), message="Please choose how you would like to pay."
            )

    def handle_payment_details_submission(self, request):
        """The payment step's form (posted to the preview URL): remember the gateway, show the preview."""
        code = request.POST.get("gateway", "")
        if not gateway_offered(code):
            return self.render_payment_details(
                request, payment_error="Please choose one of the ways to pay listed below.", status=400
            )
        self.checkout_session.pay_by(code)
        return redirect("checkout:preview")

    def render_payment_details(self, request, **kwargs):
        status = kwargs.pop("status", 200)
        response = super().render_payment_details(request, **kwargs)
        response.status_code = status
        return response

    def handle_order_placement(
        self,
        order_number,
        user,
        basket,
        shipping_address,
        shipping_method,
        shipping_charge,
        billing_address,
        order_total,
        surcharges=None,
        **kwargs,
    ):
        """Place the order with `checkout_place_order`; Oscar's page flow computed the same shipping
        method and totals from the session, the service recomputes them under its locks."""
        try:
            placed = checkout_place_order(
                basket=basket,
                user=user,
                shipping_address=shipping_address,
                billing_address=billing_address or None,
                shipping_method_code=shipping_method.code,
                guest_email=kwargs.get("guest_email", ""),
                request=self.request,
                order_number=order_number,
                surcharges=surcharges,
            )
        except CheckoutError as exc:
            return self._back_to_basket(str(exc.detail))
        except ValidationError as exc:
            return self._back_to_basket(_first_message(exc))
        if placed.created:
            if user.is_authenticated and placed.order.shipping_address is not None:
                self.update_address_book(user, placed.order.shipping_address)
            self.save_payment_details(placed.order)
        return self.handle_successful_order(placed.order)

    def _back_to_basket(self, message: str):
        self.restore_frozen_basket()
        messages.error(self.request, message)
        return redirect("basket:summary")

    def send_order_placed_email(self, order):
        """The confirmation is sent by `order.receivers` on Oscar's order_placed signal."""

    def handle_successful_order(self, order):
        gateway_code = self.checkout_session.payment_method()
        super().handle_successful_order(order)  # flushes the checkout session, remembers the order
        return payment_begin(request=self.request, order=order, gateway_code=gateway_code)


class ThankYouView(oscar_views.ThankYouView):
    """The order this browser placed (or paid): number, status, what happens next, the summary, and the
    link to follow it (the guest's signed status page)."""

    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        ctx["status_url"] = order_status_path(self.object)
        ctx["pay_url"] = order_pay_path(self.object)
        ctx["payments"] = payments_received(order=self.object)
        ctx["order_paid"] = counts_as_revenue(self.object.status)
        ctx["order_can_be_paid"] = can_be_paid(self.object.status)
        ctx["order_cancelled"] = self.object.status == CANCELLED
        return ctx


@require_http_methods(["GET", "POST"])
def order_pay(request, number: str):
    """An unpaid order's pay page: after a declined or abandoned payment, or from the link in the
    order's emails. POST `action=pay` with a `gateway` pays again for the same order; `action=change`
    cancels the unpaid order and puts its lines back in the basket (stock allowing)."""
    order = order_for_payer(request, number)
    action = request.POST.get("action", "")
    if request.method == "POST" and can_be_paid(order.status):
        if action == "pay":
            return payment_begin(request=request, order=order, gateway_code=request.POST.get("gateway"))
        if action == "change":
            return _order_back_to_basket(request, order)
    context = {
        "order": order,
        "order_can_be_paid": can_be_paid(order.status),
        "gateways": gateway_choices(),
        "key": request.GET.get("key", ""),
        "expires_at": order.date_placed + timedelta(minutes=settings.ORDER_UNPAID_CANCEL_MINUTES),
        "step": 3,
    }
    status = 400 if request.method == "POST" and can_be_paid(order.status) else 200
    if status == 400:
        context["payment_error"] = "Please choose one of the ways to pay listed below."
    return render(request, "oscar/checkout/order_pay.html", context, status=status)


def _order_back_to_basket(request, order):
    """Cancel the unpaid order (its stock and voucher released) and refill the shopper's basket."""
    order_cancel(order=order, by=request.user if request.user.is_authenticated else None,
                 reason="Cancelled by the customer to change the basket before paying.")  # fmt: skip
    left_out = basket_refill_from_order(basket=request.basket, order=order)
    message = f"Order {order.number} is cancelled and its items are back in your basket."
    if left_out:
        message += " No longer available: " + ", ".join(left_out) + "."
    messages.info(request, message)
    request.session.pop(SESSION_ORDER_KEY, None)
    return redirect("basket:summary")
