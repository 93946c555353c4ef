"""Oscar's basket views (found by `get_class("basket.views", ...)`). The add-to-basket page loads the
product with what pricing it needs (its class, a variant's parent's class, its stock records) in two
queries instead of one query for each later, and re-applies offers to the lines it just kept up to date
instead of loading them again (ADR 0010, "Checkout queries"). Oscar's other basket views are used as
they are."""

from django import shortcuts
from django.contrib import messages
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView
from oscar.apps.basket import views

from .utils import BasketMessageGenerator


class BasketAddView(views.BasketAddView):
    def post(self, request, *args, **kwargs):
        queryset = self.product_model.objects.select_related("product_class", "parent__product_class")
        self.product = shortcuts.get_object_or_404(queryset.prefetch_related("stockrecords"), pk=kwargs["pk"])
        return super(views.BasketAddView, self).post(request, *args, **kwargs)

    def form_valid(self, form):
        """Oscar's, step for step; the offer messages keep the lines `add_product` updated."""
        offers_before = self.request.basket.applied_offers()
        self.line, self.line_created = self.request.basket.add_product(
            form.product, form.cleaned_data["quantity"], form.cleaned_options()
        )
        messages.success(self.request, self.get_success_message(form), extra_tags="safe noicon")
        BasketMessageGenerator().apply_messages(self.request, offers_before, lines_current=True)
        self.add_signal.send(sender=self, product=form.product, user=self.request.user, request=self.request)
        return FormView.form_valid(self, form)


@require_GET
@never_cache
def mini_basket_view(request):
    """`GET /basket/mini/`: the header's mini-basket alone, as every page renders it, for a page whose
    basket changed without a reload (a proposal accepted in the support chat; `hypex:basket-changed`)."""
    return TemplateResponse(request, "oscar/partials/mini_basket.html")
