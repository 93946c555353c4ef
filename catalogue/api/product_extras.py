"""Per-product API extras: recommendations and reviews; and search-box suggestions."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from oscar.core.loading import get_model
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from apibase.errors import ERROR_RESPONSES, ErrorSerializer
from catalogue.cache import cached_for_anonymous
from catalogue.recommendations import product_recommendations
from catalogue.reviews.selectors import reviews_approved
from catalogue.reviews.services import review_create
from catalogue.selectors import product_cards
from catalogue.suggest import search_suggestions

from .serializers import (
    ProductCardSerializer,
    RecommendationSerializer,
    ReviewCreateSerializer,
    ReviewSerializer,
    SuggestionsSerializer,
)

Product = get_model("catalogue", "Product")
RECOMMENDATIONS_LIMIT = 8


@extend_schema(
    tags=["catalogue"],
    summary="Customers also bought (from orders), else newer products of the same category",
    responses={200: RecommendationSerializer(many=True), 404: ErrorSerializer},
)
class ProductRecommendationsView(generics.GenericAPIView):
    serializer_class = RecommendationSerializer
    pagination_class = None

    def get_queryset(self):
        return Product.objects.browsable()

    def get(self, request, pk):
        def build():
            product = get_object_or_404(self.get_queryset(), pk=pk)
            picks = product_recommendations(product=product, limit=RECOMMENDATIONS_LIMIT)
            cards = product_cards(products=[item for item, _reason in picks], request=request)
            return [
                {**ProductCardSerializer(card, context={"request": request}).data, "reason": reason}
                for card, (_item, reason) in zip(cards, picks, strict=True)
            ]

        return Response(cached_for_anonymous(request, "recommendations", (pk, request.get_host()), build))


REVIEWS_PAGE = inline_serializer(
    name="PaginatedReviewList",
    fields={
        "rating": serializers.FloatField(allow_null=True, help_text="Average score of approved reviews."),
        "count": serializers.IntegerField(help_text="Approved reviews."),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": ReviewSerializer(many=True),
    },
)
REVIEW_REFUSED = OpenApiResponse(
    ErrorSerializer,
    description="Not allowed to review; `code` says why: `authentication_required`, `not_purchased` "
    "(only customers with an order of this product or a variant) or `already_reviewed` (once per customer).",
)


class ProductReviewsView(generics.GenericAPIView):
    serializer_class = ReviewSerializer

    def get_queryset(self):
        return Product.objects.browsable()

    @extend_schema(
        tags=["catalogue"],
        summary="Approved reviews of a product, newest first, with the average rating",
        responses={200: REVIEWS_PAGE, 404: ErrorSerializer},
    )
    def get(self, request, pk):
        product = get_object_or_404(self.get_queryset(), pk=pk)
        page = self.paginate_queryset(reviews_approved(product=product))
        paginated = self.get_paginated_response(ReviewSerializer(page, many=True).data).data
        return Response({"rating": product.rating, **paginated})

    @extend_schema(
        tags=["catalogue"],
        summary="Review a product you bought (once); it shows after moderation",
        request=ReviewCreateSerializer,
        responses={201: ReviewSerializer, 403: REVIEW_REFUSED, 404: ErrorSerializer, **ERROR_RESPONSES},
    )
    def post(self, request, pk):
        product = get_object_or_404(self.get_queryset(), pk=pk)
        data = ReviewCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = review_create(product=product, user=request.user, **data.validated_data)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["catalogue"],
    summary="Search-box suggestions: products and content pages for a few typed letters",
    parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True, description="At least 2 characters.")],
    responses={200: SuggestionsSerializer, **ERROR_RESPONSES},
)
class SearchSuggestView(generics.GenericAPIView):
    serializer_class = SuggestionsSerializer
    pagination_class = None

    def get_queryset(self):
        return Product.objects.none()

    def get(self, request):
        return Response(SuggestionsSerializer(search_suggestions(query=request.query_params.get("q", ""))).data)
