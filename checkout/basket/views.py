"""Oscar's basket views (found by `get_class("basket.views", ...)`); the add-to-basket page loads the
product with what pricing it needs (its class, a variant's parent's class, its stock records) in two
queries, instead of one query for each later (ADR 0010, "Checkout queries"). Oscar's other basket
views are used as they are."""

from django import shortcuts
from oscar.apps.basket import views


class BasketAddView(views.BasketAddView):
    def post(self, request, *args, **kwargs):
        queryset = self.product_model.objects.select_related("product_class", "parent__product_class")
        self.product = shortcuts.get_object_or_404(queryset.prefetch_related("stockrecords"), pk=kwargs["pk"])
        return super(views.BasketAddView, self).post(request, *args, **kwargs)
