"""sitemap.xml sections for the catalogue (Wagtail pages have their own, see config/urls.py)."""

from django.contrib.sitemaps import Sitemap
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


class ProductSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return Product.objects.browsable().only("id", "slug", "date_updated").order_by("id")

    def lastmod(self, product):
        return product.date_updated


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Category.objects.filter(is_public=True, ancestors_are_public=True).order_by("path")
