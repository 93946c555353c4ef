"""Oscar's basket utilities (found by `get_class("basket.utils", ...)`); the message generator can keep
the loaded lines when it re-applies offers after an addition.

Oscar's `BasketMessageGenerator.apply_messages` resets the basket's offers with
`reset_offer_applications`, which also drops the lines, so the add-to-basket page loaded every line
twice. After `Basket.add_product` (which keeps the loaded lines up to date) the add view asks it to
forget the offers only (`Basket.offers_clear`, ADR 0010 "Checkout queries"). Elsewhere (the basket page's
formset saves lines through other objects) it resets as Oscar does.
"""

from django.contrib import messages
from oscar.apps.basket import utils
from oscar.apps.basket.utils import *  # noqa: F403
from oscar.core.loading import get_class

Applicator = get_class("offer.applicator", "Applicator")


class BasketMessageGenerator(utils.BasketMessageGenerator):
    def apply_messages(self, request, offers_before, *, lines_current: bool = False):
        """Oscar's: re-apply offers and say which ones the change gained or lost. `lines_current`: the
        basket's loaded lines are up to date (keep them)."""
        if not lines_current:
            return super().apply_messages(request, offers_before)
        request.basket.offers_clear()
        Applicator().apply(request.basket, request.user, request)
        offers_after = request.basket.applied_offers()
        for level, message in self.get_messages(request.basket, offers_before, offers_after):
            messages.add_message(request, level, message, extra_tags="safe noicon")
        return None
