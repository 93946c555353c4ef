"""Oscar's offer applicator (found by `get_class("offer.applicator", "Applicator")`), reading the site's
offers once per request.

A page request applies offers more than once (Oscar's basket middleware when the basket is loaded, the
checkout pages after re-pricing for the destination, the placement service, the add-to-basket page's
offer messages); the active site offers do not change within a request, so the first list is kept on the
request and reused (ADR 0010, "Checkout queries"). The basket's vouchers are read each time: a request
may add or remove one between two applications.
"""

from __future__ import annotations

from oscar.apps.offer import applicator

REQUEST_ATTRIBUTE = "_hypex_site_offers"


class Applicator(applicator.Applicator):
    def get_offers(self, basket, user=None, request=None):
        self._request = request
        try:
            return super().get_offers(basket, user, request)
        finally:
            self._request = None

    def get_site_offers(self):
        request = getattr(self, "_request", None)
        if request is None:
            return super().get_site_offers()
        offers = getattr(request, REQUEST_ATTRIBUTE, None)
        if offers is None:
            offers = list(super().get_site_offers())
            setattr(request, REQUEST_ATTRIBUTE, offers)
        return offers
