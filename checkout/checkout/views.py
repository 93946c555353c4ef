"""Oscar's checkout pages (index with guest email, shipping address with the address book, shipping
method, payment, preview, thank-you), with Hypex's order placement:

- the order is written by `checkout.order_creator.OrderCreator` (stock allocated under row locks with
  availability re-checked) inside one transaction that also locks the basket and its vouchers, the
  same rules as the API (`checkout.services`);
- a product sold out meanwhile or a voucher used up meanwhile sends the shopper back to the basket
  with the reason, the basket unfrozen;
- the new order waits in "Pending payment" and the shopper goes on to the payment gateway's page
  (the first of `PAYMENT_GATEWAYS` that pays by redirect).

Oscar's other checkout views are used as they are (`get_class` falls back to Oscar's module).
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from oscar.apps.checkout import views as oscar_views
from oscar.core.loading import get_model

from .errors import OutOfStock, VoucherUnavailable
from .order_creator import OrderCreator
from .services import checkout_vouchers_lock

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")


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
        try:
            with transaction.atomic():
                Basket.objects.select_for_update().get(pk=basket.pk)
                existing = Order.objects.filter(basket_id=basket.pk).first()
                if existing is not None:  # a double submit of the preview form
                    return self.handle_successful_order(existing)
                checkout_vouchers_lock(basket=basket, user=user)
                order = self.place_order(
                    order_number=order_number,
                    user=user,
                    basket=basket,
                    shipping_address=shipping_address,
                    shipping_method=shipping_method,
                    shipping_charge=shipping_charge,
                    order_total=order_total,
                    billing_address=billing_address,
                    surcharges=surcharges,
                    **kwargs,
                )
                basket.submit()
        except (OutOfStock, VoucherUnavailable) as exc:
            self.restore_frozen_basket()
            messages.error(self.request, str(exc.detail))
            return redirect("basket:summary")
        return self.handle_successful_order(order)

    def place_order(
        self,
        order_number,
        user,
        basket,
        shipping_address,
        shipping_method,
        shipping_charge,
        order_total,
        billing_address=None,
        surcharges=None,
        **kwargs,
    ):
        shipping_address = self.create_shipping_address(user, shipping_address)
        billing_address = self.create_billing_address(user, billing_address, shipping_address, **kwargs)
        kwargs.pop("status", None)  # new orders start in OSCAR_INITIAL_ORDER_STATUS
        request = kwargs.pop("request", self.request)
        order = OrderCreator().place_order(
            user=user,
            order_number=order_number,
            basket=basket,
            shipping_address=shipping_address,
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            total=order_total,
            billing_address=billing_address,
            request=request,
            surcharges=surcharges,
            **kwargs,
        )
        self.save_payment_details(order)
        return order

    def send_order_placed_email(self, order):
        """The confirmation is sent by `order.receivers` on Oscar's order_placed signal."""

    def handle_successful_order(self, order):
        response = super().handle_successful_order(order)
        from checkout.payment.gateways import gateway_codes, gateway_get

        for code in gateway_codes():
            if order.status != "Pending payment":
                break
            action = gateway_get(code).payment_start(order=order, request=self.request)
            if action.type == "redirect":
                return HttpResponseRedirect(action.redirect_url)
        return response
