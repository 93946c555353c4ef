"""Catalogue browsing, category pages and product search for shoppers: Oscar's URLs and view names,
served by Hypex's product search handler (ORM + Wagtail search) instead of Haystack."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from catalogue.cache import cached_for_anonymous
from catalogue.card_html import product_cards_html

from .facets import FACET_ATTRIBUTES, search_facets
from .handler import ProductSearchHandler, attribute_options_in_use

Category = get_model("catalogue", "Category")

SORT_CHOICES = [("relevance", "Relevance"), ("newest", "Newest"), ("price-asc", "Price: low to high"),
                ("price-desc", "Price: high to low"), ("rating", "Rating")]  # fmt: skip


class CatalogueView(TemplateView):
    """All products, with the filters and sorting of the search handler."""

    template_name = "catalogue/browse.html"
    category = None

    def get_summary(self, outcome) -> str:
        return "All products"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        handler = ProductSearchHandler(
            params=self.request.GET, category=self.category, per_page=settings.OSCAR_PRODUCTS_PER_PAGE
        )
        outcome = handler.search()
        facets = self.get_facets(handler, outcome)
        products = list(outcome.page.object_list)
        query_without_page = self.request.GET.copy()
        query_without_page.pop("page", None)
        context.update(
            {
                "products": products,
                # rendered a page at a time; for anonymous shoppers from the cache (catalogue/card_html.py)
                "cards": product_cards_html(products=products, request=self.request),
                "page_obj": outcome.page,
                "paginator": outcome.paginator,
                "query": outcome.query,
                "sort": outcome.sort,
                "sort_choices": SORT_CHOICES if outcome.query else SORT_CHOICES[1:],
                "filter_errors": outcome.errors,
                "price_error": outcome.errors.get("min_price") or outcome.errors.get("max_price"),
                "suggested_categories": outcome.suggested_categories,
                "category": self.category,
                "summary": self.get_summary(outcome),
                "filters": [
                    (code, self._options_with_counts(code, facets), self.request.GET.get(code, ""))
                    for code in FACET_ATTRIBUTES
                ],
                "in_stock_count": facets.in_stock if facets else None,
                "selected": self.request.GET,
                "querystring": query_without_page.urlencode(),
                "canonical_url": self.get_canonical_url(outcome),
                "meta_description": self.get_meta_description(outcome),
                "noindex": self.noindex,
            }
        )
        return context

    noindex = False

    def get_facets(self, handler, outcome):
        """The sidebar's counts (facets.py), cached for anonymous shoppers per filter set; None when
        the parameters have errors (nothing to count)."""
        if outcome.errors:
            return None
        params = sorted((key, value) for key, value in self.request.GET.items() if key not in ("page", "sort"))
        parts = (self.category.pk if self.category else "", params)
        return cached_for_anonymous(self.request, "facets", parts, lambda: search_facets(handler=handler))

    def _options_with_counts(self, code: str, facets) -> list[tuple[str, int | None]]:
        """(option, count) of every option the filter offers (count None without facets)."""
        options = cached_for_anonymous(
            self.request,
            "filter-options",
            (code, self.category.pk if self.category else ""),
            lambda: attribute_options_in_use(code=code, category=self.category),
        )
        counts = facets.counts(code) if facets else {}
        return [(option, counts.get(option, 0) if facets else None) for option in options]

    def get_canonical_url(self, outcome) -> str:
        """The page's own address without filters or sorting (they show the same products);
        page 2 onwards keep their page number."""
        number = outcome.page.number
        return self.request.build_absolute_uri(self.request.path) + (f"?page={number}" if number > 1 else "")

    def get_meta_description(self, outcome) -> str:
        if self.category is not None and self.category.description:
            return Truncator(" ".join(strip_tags(self.category.description).split())).chars(155)
        count = outcome.paginator.count
        return f"{self.get_summary(outcome)}: {count} product{'s' if count != 1 else ''} at {settings.OSCAR_SHOP_NAME}."


class ProductCategoryView(CatalogueView):
    """A category page: its products and those of its subcategories."""

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not self.category.is_public and not request.user.is_staff:
            raise Http404
        expected = self.category.get_absolute_url()
        if request.path != expected:
            query = f"?{request.GET.urlencode()}" if request.GET else ""
            return HttpResponsePermanentRedirect(expected + query)
        return super().get(request, *args, **kwargs)

    def get_summary(self, outcome) -> str:
        return self.category.name


class FacetedSearchView(CatalogueView):
    """Product search (`/search/?q=`), keeping Oscar's URL and view name. Not for search engines."""

    noindex = True

    def get_summary(self, outcome) -> str:
        return f'Products matching "{outcome.query}"' if outcome.query else "Search"
