"""Catalogue API: a first read-only slice (the full catalogue API is its own issue)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from apibase.errors import ERROR_RESPONSES, ErrorSerializer
from catalogue.cache import cached_per_tax_country
from catalogue.categories import category_by_slug, category_tree
from catalogue.listing_rows import card_rows
from catalogue.search.handler import ProductSearchHandler
from catalogue.selectors import (
    category_queryset,
    product_detail,
    product_detail_queryset,
    product_queryset_for_listing,
    product_strategy,
)

from .facets import ProductListPagination, facets_payload, facets_wanted
from .serializers import (
    CategoryDetailSerializer,
    CategoryNodeSerializer,
    ProductCardSerializer,
    ProductDetailSerializer,
    card_rows_json,
)


@extend_schema(
    tags=["catalogue"],
    summary="The category tree, with product counts (subcategories included)",
    responses={200: CategoryNodeSerializer(many=True)},
)
class CategoryListView(generics.GenericAPIView):
    serializer_class = CategoryNodeSerializer
    pagination_class = None

    def get_queryset(self):
        return category_queryset()

    def get(self, request):
        return Response(CategoryNodeSerializer(category_tree(), many=True).data)


@extend_schema(
    tags=["catalogue"],
    summary="One category with its subcategories, count and breadcrumbs",
    responses={200: CategoryDetailSerializer, 404: ErrorSerializer},
)
class CategoryDetailView(generics.GenericAPIView):
    serializer_class = CategoryDetailSerializer

    def get_queryset(self):
        return category_queryset()

    def get(self, request, slug):
        category = category_by_slug(slug)
        if category is None:
            raise NotFound("No such category.")
        return Response(CategoryDetailSerializer(category).data)


PAGINATED_CARDS = inline_serializer(
    name="PaginatedProductCardList",
    fields={
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": ProductCardSerializer(many=True),
    },
)
PRODUCT_FILTERS = [
    OpenApiParameter("q", str, description="Words that must all match (title, description, UPC, category)."),
    OpenApiParameter("category", str, description="Category slug; subcategories included."),
    OpenApiParameter(
        "min_price",
        OpenApiTypes.DECIMAL,
        description="Only products whose price (excl. tax) is at least this; a parent's price is its lowest "
        "public variant's, as its `price` shows.",
    ),
    OpenApiParameter("max_price", OpenApiTypes.DECIMAL, description="Only products whose price is at most this."),
    OpenApiParameter("in_stock", OpenApiTypes.BOOL, description="1: only products with stock to sell."),
    OpenApiParameter("ordering", str, enum=["relevance", "newest", "price-asc", "price-desc", "rating"]),
    OpenApiParameter("colour", str, description="Any attribute code works the same way, e.g. size=M."),
    OpenApiParameter(
        "facets", OpenApiTypes.BOOL, description="1: also count, in `facets`, the products each filter value shows."
    ),
]


@extend_schema(
    tags=["catalogue"],
    summary="Browse and search products, with live price and availability",
    parameters=PRODUCT_FILTERS,
    responses={200: ProductCardSerializer(many=True), **ERROR_RESPONSES},
)
class ProductListView(generics.ListAPIView):
    """The same handler as the storefront pages: same products, same order."""

    serializer_class = ProductCardSerializer
    pagination_class = ProductListPagination

    def get_queryset(self):  # for the schema; list() asks the search handler
        return product_queryset_for_listing()

    def list(self, request, *args, **kwargs):
        # Cached for every shopper of the same tax country, signed in or not (ADR 57).
        key = (request.get_host(), sorted(request.query_params.lists()))
        country = product_strategy(request=request).tax_country
        return Response(cached_per_tax_country("product-list", key, lambda: self._page(request), tax_country=country))

    def _page(self, request) -> dict:
        params = request.query_params.copy()
        if "ordering" in params:
            params["sort"] = params.pop("ordering")[-1]
        paginator = self.paginator
        page_size = paginator.get_page_size(request)
        handler = ProductSearchHandler(params=params, per_page=page_size, rows=False)  # card_rows reads them
        outcome = handler.search()
        if outcome.errors:
            raise ValidationError({("ordering" if key == "sort" else key): [message]
                                   for key, message in outcome.errors.items()})  # fmt: skip
        page_number = request.query_params.get("page", "1")
        if not page_number.isdigit() or not 1 <= int(page_number) <= max(outcome.paginator.num_pages, 1):
            raise NotFound("Invalid page.")
        page = outcome.page
        cards = card_rows(products=page.object_list, request=request)  # two queries whatever the page size
        body = {
            "count": outcome.paginator.count,
            "next": _page_link(request, page.next_page_number()) if page.has_next() else None,
            "previous": _page_link(request, page.previous_page_number()) if page.has_previous() else None,
            "results": card_rows_json(cards, request=request),
        }
        if facets_wanted(request.query_params):
            body["facets"] = facets_payload(handler=handler)
        return body


def _page_link(request, number: int) -> str:
    return replace_query_param(request.build_absolute_uri(), "page", number)


@extend_schema(
    tags=["catalogue"],
    summary="One product: images, attributes, categories, variants, price, availability",
    responses={200: ProductDetailSerializer, 404: ErrorSerializer},
)
class ProductDetailView(generics.GenericAPIView):
    serializer_class = ProductDetailSerializer

    def get_queryset(self):
        return product_detail_queryset()

    def get(self, request, pk):
        def build():
            product = get_object_or_404(self.get_queryset(), pk=pk)
            detail = product_detail(product=product, request=request)
            return ProductDetailSerializer(detail, context={"request": request}).data

        country = product_strategy(request=request).tax_country
        parts = (pk, request.get_host())
        return Response(cached_per_tax_country("product-detail", parts, build, tax_country=country))
