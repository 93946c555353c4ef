"""Builders for the demo shop. Each is idempotent: it finds what exists by a natural key and only
creates what is missing, so `seed_demo` can run any number of times.

Randomness comes from one `random.Random(seed)` passed in, so the same seed gives the same shop.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal

import pycountry
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from catalogue.cache import catalogue_cache_invalidate
from catalogue.partner.stock_transitions import stock_transitions_detect
from content.services import site_root_ensure
from dataexchange.search_index import reindex

from . import catalogue_data as data
from .batch import Batch

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
AttributeOption = get_model("catalogue", "AttributeOption")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
TaxRate = get_model("checkout", "TaxRate")
WeightBased = get_model("shipping", "WeightBased")
WeightBand = get_model("shipping", "WeightBand")
OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")
Country = get_model("address", "Country")

DEMO_ADMIN_EMAIL = "admin@hypex.test"
DEMO_ADMIN_PASSWORD = "hypex-admin"
DEMO_VOUCHER_CODE = "WELCOME10"
PARTNER_NAME = "Hypex Warehouse"
UPC_PREFIX = "HX"
BATCH_SIZE = 500  # products per transaction


def categories_build() -> dict[str, object]:
    """The category tree; returns the leaf category for each breadcrumb path."""
    return {path: create_from_breadcrumbs(path) for path in data.CATEGORY_PATHS}


def _option_group(name: str, options: list[str]):
    group, _ = AttributeOptionGroup.objects.get_or_create(name=name)
    for option in options:
        AttributeOption.objects.get_or_create(group=group, option=option)
    return group


def product_classes_build() -> dict[str, object]:
    """Product types with their attributes: Clothing (size, colour), Homeware, Book."""
    colours = _option_group("Colour", data.COLOURS)
    sizes = _option_group("Size", data.SIZES)
    classes = {}
    for name, flags in data.PRODUCT_CLASSES.items():
        product_class, _ = ProductClass.objects.get_or_create(name=name, defaults={"slug": slugify(name), **flags})
        classes[name] = product_class
    attributes = {
        "Clothing": [("colour", "Colour", "option", colours), ("size", "Size", "option", sizes)],
        "Homeware": [("colour", "Colour", "option", colours), ("material", "Material", "text", None)],
        "Book": [("author", "Author", "text", None), ("pages", "Pages", "integer", None)],
    }
    for class_name, specs in attributes.items():
        for code, name, attr_type, group in specs:
            ProductAttribute.objects.get_or_create(
                product_class=classes[class_name],
                code=code,
                defaults={"name": name, "type": attr_type, "option_group": group},
            )
    return classes


def partner_build():
    partner, _ = Partner.objects.get_or_create(name=PARTNER_NAME, defaults={"code": "hypex-warehouse"})
    return partner


def _product_specs(rng: random.Random, count: int) -> Iterator[dict]:
    """The deterministic list of top-level products: clothing parents, homeware and books."""
    lines = (
        [("Clothing", path, noun) for path, nouns in data.CLOTHING_LINES for noun in nouns]
        + [("Homeware", path, noun) for path, nouns in data.HOME_LINES for noun in nouns]
        + [("Book", path, noun) for path, nouns in data.BOOK_LINES for noun in nouns]
    )
    for index in range(count):
        line = index % len(lines)
        kind, path, noun = lines[line]
        cycle = index // len(lines)
        # each line starts at another colour, so neighbours differ; a line still gets every colour once
        # per len(COLOURS) cycles, so titles stay unique
        colour = data.COLOURS[(cycle + line) % len(data.COLOURS)]
        if kind == "Book":  # books have no colour: each further cycle is another volume
            title = noun if cycle == 0 else f"{noun}, Volume {cycle + 1}"
        else:
            edition = cycle // len(data.COLOURS)
            title = f"{colour} {noun}" + (f" No. {edition + 1}" if edition else "")
        yield {
            "index": index,
            "upc": f"{UPC_PREFIX}{index + 1:06d}",
            "kind": kind,
            "category_path": path,
            "title": title,
            "colour": colour,
            "shape": data.BOOK_SHAPE if kind == "Book" else data.SHAPE_OF[noun],
            "description": f"<p>{title}: made to be used every day and kept for years.</p>",
            "rating_seed": rng.random(),
        }


def products_build(
    *, rng: random.Random, count: int, classes, categories, partner, progress: Callable[[int], None] | None = None
) -> int:
    """Create the first `count` demo products that do not exist yet; returns how many were created.

    Batches of `BATCH_SIZE` products, each one transaction of plain-row inserts (`batch.Batch`), then the batch's
    products indexed for search in bulk and their stock records' levels recorded (the baseline the
    back-in-stock detection compares with, ADR 46); the catalogue cache is invalidated once at the end
    (bulk inserts send no signals, ADR 23)."""
    existing = set(
        Product.objects.filter(upc__startswith=UPC_PREFIX, parent__isnull=True).values_list("upc", flat=True)
    )
    created = 0
    images: dict[tuple[str, str], str] = {}  # image file per (shape, colour), shared (batch.product_image_file)
    specs = _product_specs(rng, count)
    while True:
        batch = Batch(classes=classes, categories=categories, partner=partner, images=images)
        seen = 0
        for spec in specs:
            # Draw the same random numbers whether or not the product exists: output stays deterministic.
            product_rng = random.Random(f"{rng.random()}")
            if spec["upc"] not in existing:
                batch.add(spec=spec, rng=product_rng)
            seen += 1
            if seen == BATCH_SIZE:
                break
        if batch.products:
            with transaction.atomic():
                product_ids, record_ids = batch.write()
                stock_transitions_detect(stockrecord_ids=record_ids)
            reindex({Product: set(product_ids)})
            created += len(product_ids)
        if progress:
            progress(seen)
        if seen < BATCH_SIZE:
            if created:
                catalogue_cache_invalidate()
            return created


SHIPPING_COUNTRIES = ("GB", "IE", "FR", "DE", "NL", "US")


def countries_build() -> int:
    """Every ISO 3166 country (Oscar's address list), shipping enabled for the shop's markets.
    Returns how many were added; existing rows are left as the merchant set them."""
    existing = set(Country.objects.values_list("iso_3166_1_a2", flat=True))
    missing = [
        Country(
            iso_3166_1_a2=country.alpha_2,
            iso_3166_1_a3=country.alpha_3,
            iso_3166_1_numeric=country.numeric,
            printable_name=country.name,
            name=getattr(country, "official_name", country.name),
            is_shipping_country=country.alpha_2 in SHIPPING_COUNTRIES,
            display_order=10 if country.alpha_2 == "GB" else 0,
        )
        for country in pycountry.countries
        if country.alpha_2 not in existing
    ]
    Country.objects.bulk_create(missing)
    return len(missing)


def shipping_build() -> None:
    """Royal-Mail-like methods: standard by weight (UK), express per order and item, free over £75."""
    countries_build()
    gb = Country.objects.get(iso_3166_1_a2="GB")

    standard, created = WeightBased.objects.get_or_create(
        code="standard", defaults={"name": "Standard delivery (2-4 days)", "default_weight": Decimal("0.5")}
    )
    if created:
        for upper, charge in [("1", "3.50"), ("5", "6.95"), ("20", "12.50")]:
            WeightBand.objects.create(method=standard, upper_limit=Decimal(upper), charge=Decimal(charge))
    standard.countries.add(gb)

    express, _ = OrderAndItemCharges.objects.get_or_create(
        code="express",
        defaults={
            "name": "Express delivery (next day)",
            "price_per_order": Decimal("7.95"),
            "price_per_item": Decimal("1.00"),
            "free_shipping_threshold": Decimal("75.00"),
        },
    )
    express.countries.add(gb)


# The sales tax of every country the demo ships to (standard rates, 2026). The US has no national
# sales tax and the demo collects none: a 0% row says so instead of leaving the country unconfigured.
TAX_RATES = {
    "GB": ("0.2000", "VAT"),
    "IE": ("0.2300", "VAT"),
    "FR": ("0.2000", "TVA"),
    "DE": ("0.1900", "MwSt"),
    "NL": ("0.2100", "BTW"),
    "US": ("0.0000", "Sales tax"),
}


def tax_rates_build() -> None:
    """A tax rate for each of `SHIPPING_COUNTRIES` (tax follows the shipping address, ADR 0012); rates
    the merchant already set are left alone."""
    countries_build()
    for code, (rate, name) in TAX_RATES.items():
        TaxRate.objects.get_or_create(country_id=code, defaults={"rate": Decimal(rate), "name": name})


def voucher_build():
    """WELCOME10: 10% off any basket of £20 or more, valid for a year from the seed."""
    product_range, _ = Range.objects.get_or_create(name="Everything", defaults={"includes_all_products": True})
    condition, _ = Condition.objects.get_or_create(range=product_range, type=Condition.VALUE, value=Decimal("20.00"))
    benefit, _ = Benefit.objects.get_or_create(range=product_range, type=Benefit.PERCENTAGE, value=Decimal("10.00"))
    offer, _ = ConditionalOffer.objects.get_or_create(
        name="Welcome 10% off",
        defaults={"offer_type": ConditionalOffer.VOUCHER, "condition": condition, "benefit": benefit},
    )
    now = timezone.now()
    voucher, _ = Voucher.objects.get_or_create(
        code=DEMO_VOUCHER_CODE,
        defaults={
            "name": "Welcome 10%",
            "usage": Voucher.MULTI_USE,
            "start_datetime": now - timedelta(days=1),
            "end_datetime": now + timedelta(days=365),
        },
    )
    voucher.offers.add(offer)
    return voucher


def staff_superuser_build():
    user_model = get_user_model()
    user = user_model.objects.filter(email=DEMO_ADMIN_EMAIL).first()
    if user is None:
        user = user_model.objects.create_superuser(email=DEMO_ADMIN_EMAIL, password=DEMO_ADMIN_PASSWORD)
    # A verified address, so the same login also works on the shopper pages (mandatory verification).
    EmailAddress.objects.get_or_create(user=user, email=DEMO_ADMIN_EMAIL, defaults={"primary": True, "verified": True})
    return user


def home_page_build() -> None:
    """The CMS home page: a hero, the newest products and a few words about the shop."""
    home = site_root_ensure()
    if len(home.body):
        return  # already has content (ours or an editor's): never overwrite it
    home.title = "Hypex"
    home.seo_title = "Hypex - things worth keeping"
    home.search_description = "Clothing, homeware and books made to last."
    home.body = [
        (
            "hero",
            {
                "title": "Things worth keeping",
                "text": "Clothing, homeware and books made to last.",
                "button_label": "Browse the catalogue",
                "button_url": "/catalogue/",
            },
        ),
        ("latest_products", {"title": "New in", "count": 8}),
        ("heading", "Why Hypex"),
        (
            "paragraph",
            "<p>We sell fewer, better things, and we repair what we sell. Use the code "
            f"<b>{DEMO_VOUCHER_CODE}</b> for 10% off your first order over £20.</p>",
        ),
    ]
    home.save_revision().publish()
