"""Reads for content blocks and template tags.

Product cards are the catalogue's read model (`catalogue.selectors.product_cards`: Oscar's strategy
prices them at render time), so a CMS block shows what the product page and the API show and never
holds a copy of a price or a stock level.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.selectors import ProductCard, product_cards, product_queryset_for_listing

from .snippets import SiteContactSettings

Category = get_model("catalogue", "Category")
Voucher = get_model("voucher", "Voucher")


def product_cards_for(*, product_ids: Iterable[int], request=None) -> list[ProductCard]:
    """Cards for the chosen products, in the editor's order; products no longer browsable are left out."""
    ids = [pk for pk in product_ids if pk is not None]
    if not ids:
        return []
    products = product_queryset_for_listing().in_bulk(ids)
    return product_cards(products=[products[pk] for pk in ids if pk in products], request=request)


def product_cards_matching(*, category=None, query: str = "", limit: int = 12, request=None) -> list[ProductCard]:
    """Browsable products in a category (and its subcategories) and/or matching a title/UPC/SKU term."""
    products = product_queryset_for_listing()
    if category is not None:
        subtree = Category.get_tree(category)
        products = products.filter(categories__in=subtree)
    term = query.strip()
    if term:
        products = products.filter(
            Q(title__icontains=term) | Q(upc__iexact=term) | Q(stockrecords__partner_sku__iexact=term)
        )
    ids = list(products.order_by("-date_created", "-id").values_list("id", flat=True).distinct()[:limit])
    return product_cards_for(product_ids=ids, request=request)


def voucher_offer_live(*, code: str):
    """The voucher with this code when a shopper could use it right now, else None."""
    voucher = Voucher.objects.filter(code=code.strip().upper()).first()
    if voucher is None or not voucher.is_active(timezone.now()):
        return None
    return voucher


@dataclass(frozen=True)
class MerchantContact:
    """Who the shop is and how to reach it, as the CMS contact settings say (invoices print it)."""

    name: str
    address: str
    email: str
    phone: str


def merchant_contact() -> MerchantContact:
    """The shop's name (`OSCAR_SHOP_NAME`) and the default Wagtail site's contact settings; empty fields
    while the merchant has not filled them in. Reads only (never creates the settings row)."""
    contact = SiteContactSettings.objects.filter(site__is_default_site=True).first()
    return MerchantContact(
        name=settings.OSCAR_SHOP_NAME,
        address=contact.address if contact else "",
        email=contact.email if contact else "",
        phone=contact.phone if contact else "",
    )
