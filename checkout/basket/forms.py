"""Oscar's basket forms (found by `get_class("basket.forms", ...)`): adding a product without options
does not look its options up a second time (ADR 0010, "Checkout queries")."""

from oscar.apps.basket import forms as oscar_forms
from oscar.apps.basket.forms import *  # noqa: F403


class AddToBasketForm(oscar_forms.AddToBasketForm):
    def cleaned_options(self):
        """Oscar's; no query when the product has no options (`has_options`, asked when the form was
        built, is kept on the product)."""
        if not self.parent_product.has_options:
            return []
        return super().cleaned_options()
