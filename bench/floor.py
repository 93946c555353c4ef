"""The floor the product list API is measured against (issue 17): plain Django, the same 50 products and
fields as `GET /api/v1/products/?page_size=50` (id, title, slug, structure, url, price, availability),
read with `.values()` in two queries (the products, then their stock records) and written with
`JsonResponse`. No DRF, no serializer, no strategy, no cache: what the same payload costs with nothing
in between. Served only by the bench settings
(`bench.settings`, ROOT_URLCONF `bench.floor`), never by the shop; so is django-oscar-api, at /oscarapi/.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.http import JsonResponse
from django.urls import include, path

from catalogue.catalogue.models import Product
from catalogue.partner.models import StockRecord


def floor_product_list(request):
    size = min(int(request.GET.get("page_size", "50") or 50), 100)
    products = list(
        Product.objects.filter(is_public=True, structure__in=["standalone", "parent"])
        .order_by("-date_created", "-id")
        .values("id", "title", "slug", "structure")[:size]
    )
    ids = [product["id"] for product in products]
    # Each product's stock records: its own (standalone) or its public variants' (parent), in one query.
    records = StockRecord.objects.filter(
        Q(product_id__in=ids) | Q(product__parent_id__in=ids, product__is_public=True)
    ).values("product_id", "product__parent_id", "price", "price_currency", "num_in_stock", "num_allocated")
    prices, free, currency = defaultdict(list), defaultdict(int), {}
    for record in records:
        owner = record["product__parent_id"] or record["product_id"]
        if record["price"] is not None:
            prices[owner].append(record["price"])
        free[owner] += (record["num_in_stock"] or 0) - (record["num_allocated"] or 0)
        currency.setdefault(owner, record["price_currency"])
    results = [
        {
            "id": product["id"],
            "title": product["title"],
            "slug": product["slug"],
            "structure": product["structure"],
            "url": request.build_absolute_uri(f"/catalogue/{product['slug']}_{product['id']}/"),
            "price": {
                "currency": currency.get(product["id"]),
                "excl_tax": str(min(prices[product["id"]])) if prices[product["id"]] else None,
            },
            "is_available": free[product["id"]] > 0,
            "availability": "In stock" if free[product["id"]] > 0 else "Out of stock",
        }
        for product in products
    ]
    return JsonResponse({"count": len(results), "next": None, "previous": None, "results": results})


urlpatterns = [
    path("bench/floor/products/", floor_product_list),
    path("oscarapi/", include("oscarapi.urls")),  # django-oscar-api, the peer (bench.settings)
    path("", include("config.urls")),
]
