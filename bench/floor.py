"""The floor the product list API is measured against (issue 17): plain Django, the same 50 products and
fields as `GET /api/v1/products/?page_size=50` (id, title, slug, structure, url, price, availability),
read with `.values()` in one query and written with `JsonResponse`. No DRF, no serializer, no strategy,
no cache: what the same payload costs with nothing in between. Served only by the bench settings
(`bench.settings`, ROOT_URLCONF `bench.floor`), never by the shop.
"""

from __future__ import annotations

from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.urls import include, path

from catalogue.catalogue.models import Product
from catalogue.partner.models import StockRecord


def floor_product_list(request):
    size = min(int(request.GET.get("page_size", "50") or 50), 100)
    # A product's stock records: its own (standalone) or its public variants' (parent).
    records = StockRecord.objects.filter(
        Q(product=OuterRef("pk")) | Q(product__parent=OuterRef("pk"), product__is_public=True)
    )
    free = (
        records.annotate(one=Value(1))
        .values("one")
        .annotate(free=Sum(F("num_in_stock") - Coalesce("num_allocated", 0)))
        .values("free")[:1]
    )
    rows = (
        Product.objects.filter(is_public=True, structure__in=["standalone", "parent"])
        .order_by("-date_created", "-id")
        .annotate(
            price=Subquery(records.order_by("price").values("price")[:1]),
            currency=Subquery(records.values("price_currency")[:1]),
            free=Subquery(free),
        )
        .values("id", "title", "slug", "structure", "price", "currency", "free")[:size]
    )
    results = [
        {
            "id": row["id"],
            "title": row["title"],
            "slug": row["slug"],
            "structure": row["structure"],
            "url": request.build_absolute_uri(f"/catalogue/{row['slug']}_{row['id']}/"),
            "price": {"currency": row["currency"], "excl_tax": None if row["price"] is None else str(row["price"])},
            "is_available": (row["free"] or 0) > 0,
            "availability": "In stock" if (row["free"] or 0) > 0 else "Out of stock",
        }
        for row in rows
    ]
    return JsonResponse({"count": len(results), "next": None, "previous": None, "results": results})


urlpatterns = [
    path("bench/floor/products/", floor_product_list),
    path("", include("config.urls")),
]
