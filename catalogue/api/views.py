"""Catalogue API: a first read-only slice (the full catalogue API is its own issue)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from catalogue.selectors import Selector, category_queryset, product_card, product_queryset_for_listing

from .serializers import CategorySerializer, ProductCardSerializer


@extend_schema(tags=["catalogue"], summary="List categories (tree order)")
class CategoryListView(generics.ListAPIView):
    serializer_class = CategorySerializer
    pagination_class = None

    def get_queryset(self):
        return category_queryset()


@extend_schema(tags=["catalogue"], summary="List browsable products, newest first, with live price and availability")
class ProductListView(generics.ListAPIView):
    serializer_class = ProductCardSerializer

    def get_queryset(self):
        return product_queryset_for_listing().order_by("-date_created", "-id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        strategy = Selector().strategy(request=request, user=request.user)
        cards = [product_card(product=product, strategy=strategy) for product in page]
        return self.get_paginated_response(self.get_serializer(cards, many=True).data)
