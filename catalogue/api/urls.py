from django.urls import path

from .product_extras import ProductRecommendationsView, ProductReviewsView, SearchSuggestView
from .views import CategoryDetailView, CategoryListView, ProductDetailView, ProductListView

urlpatterns = [
    path("categories/", CategoryListView.as_view(), name="category-list"),
    path("categories/<slug:slug>/", CategoryDetailView.as_view(), name="category-detail"),
    path("products/", ProductListView.as_view(), name="product-list"),
    path("products/<int:pk>/", ProductDetailView.as_view(), name="product-detail"),
    path("products/<int:pk>/recommendations/", ProductRecommendationsView.as_view(), name="product-recommendations"),
    path("products/<int:pk>/reviews/", ProductReviewsView.as_view(), name="product-reviews"),
    path("search/suggest/", SearchSuggestView.as_view(), name="search-suggest"),
]
