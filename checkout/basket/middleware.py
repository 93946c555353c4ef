"""Hypex's basket middleware: Oscar's, with one rule for merging baskets at sign-in.

Pages (this middleware) and the API (`accounts.sign_in.basket_merge_on_sign_in`) both merge through
`merge_baskets`, so a shopper gets the same basket whichever way they sign in: quantities of the same
product are added together.
"""

from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware


class BasketMiddleware(OscarBasketMiddleware):
    def merge_baskets(self, master, slave):
        master.merge(slave, add_quantities=True)
