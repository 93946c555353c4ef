"""The product page: Oscar's ProductDetailView, reading the plain page data of `catalogue.product_page`
(over the product read model; cached for anonymous shoppers) plus the shopper's recently viewed products
(Oscar's history cookie: browsing writes no session).

A request reads the product's row first (one query: its URL, whether it is a variant or public); the
read model's rows are fetched only when the page data is not in the cache (ADR 0058)."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from oscar.apps.catalogue import views as oscar_views
from oscar.apps.catalogue.views import *  # noqa: F401,F403 (the views Hypex keeps as they are)
from oscar.core.loading import get_model

from catalogue.alerts.selectors import product_alert_offer
from catalogue.cache import cached_for_anonymous
from catalogue.product_page import page_cards_by_id, product_page
from catalogue.recommendations import recently_viewed_ids, recently_viewed_remember

Product = get_model("catalogue", "Product")


class ProductDetailView(oscar_views.ProductDetailView):
    template_name = "oscar/catalogue/detail.html"

    def get(self, request, *args, **kwargs):
        found = get_object_or_404(Product.objects.select_related("product_class"), pk=kwargs["pk"])
        if found.is_child:  # a variant's URL shows its parent's page with the variant chosen
            parent = get_object_or_404(Product.objects.browsable(), pk=found.parent_id)
            return HttpResponsePermanentRedirect(f"{parent.get_absolute_url()}?variant={found.pk}")
        if not found.is_public:  # not browsable: as missing, for staff too
            raise Http404()
        self.object = product = found
        if redirect_to := self.redirect_if_necessary(request.path, product):
            return redirect_to
        context = self.get_context_data(object=product)
        response = self.render_to_response(context)
        recently_viewed_remember(request=request, response=response, product_id=product.pk)
        self.send_signal(request, response, product)
        return response

    def _page(self, selected: dict) -> dict:
        """The page data, built from the read model (a miss of the cache, or a signed-in shopper)."""
        return product_page(product=self.object, request=self.request, selected=selected)  # the row read already

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, product = self.request, self.object
        selected = {key: value[:100] for key, value in request.GET.items()}
        parts = (product.pk, request.get_host(), sorted(selected.items()))
        context["page"] = page = cached_for_anonymous(request, "product-page", parts, lambda: self._page(selected))
        context["back_in_stock"] = product_alert_offer(
            product_id=page["variant_id"] or page["id"],
            user=request.user,
            offered=not page["is_available"],  # a chosen variant, or a parent none of whose variants is left
            has_variant_picker=bool(page["picker"]),
        )
        context["recently_viewed"] = page_cards_by_id(
            ids=recently_viewed_ids(request=request, exclude_id=product.pk), request=request
        )
        return context
