"""Oscar's checkout pages (index with guest email, shipping address with the address book, shipping
method, payment, preview, thank-you), placing the order through the one placement service:

- the order is written by `checkout.services.checkout_place_order`, the same function the API calls
  (basket, vouchers and stock records locked in one order, stock re-checked, ADR 0010);
- a product sold out meanwhile, a voucher used up meanwhile or a shipping method no longer offered
  sends the shopper back to the basket with the reason, the basket unfrozen;
- the new order waits in "Pending payment" and the shopper goes on to the payment gateway's page
  (the first of `PAYMENT_GATEWAYS` that pays by redirect).

Oscar's other checkout views are used as they are (`get_class` falls back to Oscar's module).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from oscar.apps.checkout import views as oscar_views

from checkout.order.statuses import can_be_paid

from .errors import CheckoutError
from .services import checkout_place_order


def _first_message(error: ValidationError) -> str:
    return next(iter(error.messages), "This order cannot be placed.")


class PaymentDetailsView(oscar_views.PaymentDetailsView):
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
        response = super().handle_successful_order(order)
        from checkout.payment.gateways import gateway_codes, gateway_get

        for code in gateway_codes():
            if not can_be_paid(order.status):
                break
            action = gateway_get(code).payment_start(order=order, request=self.request)
            if action.type == "redirect":
                return HttpResponseRedirect(action.redirect_url)
        return response
