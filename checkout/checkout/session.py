"""Oscar's checkout session mixin (every checkout page), with the basket priced for the destination.

Once the shopper has chosen a shipping address, every checkout page prices the basket for that
address's country before anything is computed (skip conditions, shipping charges, totals on the
preview): tax follows the shipping address (ADR 0012). `checkout_place_order` does the same when it
places the order, so the totals the preview shows are the ones ordered.
"""

from __future__ import annotations

from oscar.apps.checkout import session

from checkout.basket.services import basket_offers_apply, basket_tax_destination_set


class CheckoutSessionMixin(session.CheckoutSessionMixin):
    def dispatch(self, request, *args, **kwargs):
        self.checkout_session = session.CheckoutSessionData(request)
        # A new address's country is in the session: the basket is priced for it from the start, rather
        # than for the customer's default address (a query) and then again (`hypex_tax_destination`,
        # read by `partner.strategy.Selector`).
        fields = self.checkout_session.new_shipping_address_fields() or {}
        if fields.get("country_id"):
            request.hypex_tax_destination = fields["country_id"]
        self.basket_price_for_destination(request)
        return super().dispatch(request, *args, **kwargs)

    def basket_price_for_destination(self, request) -> None:
        """Re-price `request.basket` for the chosen shipping address's country (when it differs from
        the country it was priced for) and re-apply its offers."""
        basket = request.basket
        if not basket.pk or basket.is_empty or not basket.is_shipping_required():
            return
        address = self.get_shipping_address(basket)
        country = getattr(address, "country_id", None) if address is not None else None
        if basket_tax_destination_set(basket=basket, country_code=country, user=request.user, request=request):
            basket_offers_apply(basket=basket, user=request.user, request=request)
