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
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
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
from .images import PALETTE, product_image_bytes

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
SHARED_IMAGES_FROM = 500  # bigger catalogues share image files between look-alike products


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


def _price(rng: random.Random, low: int, high: int) -> Decimal:
    return (
        Decimal(rng.randint(low, high)) + Decimal("0.00")
        if rng.random() < 0.5
        else Decimal(f"{rng.randint(low, high)}.95")
    )


def _stock_record(*, rng: random.Random, partner, sku: str, price: Decimal):
    """A stock record whose product is set when its batch is written."""
    return StockRecord(
        partner=partner,
        partner_sku=sku,
        price=price,
        price_currency="GBP",
        num_in_stock=0 if rng.random() < 0.08 else rng.randint(1, 60),
        low_stock_threshold=5,
    )


def _image_file(*, title: str, colour_name: str, upc: str, shared: dict | None = None) -> str:
    """A generated image file's storage name. With `shared` (big catalogues), products whose images would
    look the same (same initials and colour) share one file, so 10,000 products do not write 10,000 JPEGs."""
    key = ("".join(word[0] for word in title.split()[:3]).upper(), colour_name)
    if shared is not None and key in shared:
        return shared[key]
    content = ContentFile(product_image_bytes(title=title, colour=PALETTE[colour_name]))
    name = default_storage.save(
        ProductImage._meta.get_field("original").generate_filename(None, f"{upc.lower()}.jpg"), content
    )
    if shared is not None:
        shared[key] = name
    return name


def _product_specs(rng: random.Random, count: int) -> Iterator[dict]:
    """The deterministic list of top-level products: clothing parents, homeware and books."""
    lines = (
        [("Clothing", path, noun) for path, nouns in data.CLOTHING_LINES for noun in nouns]
        + [("Homeware", path, noun) for path, nouns in data.HOME_LINES for noun in nouns]
        + [("Book", path, noun) for path, nouns in data.BOOK_LINES for noun in nouns]
    )
    for index in range(count):
        kind, path, noun = lines[index % len(lines)]
        cycle = index // len(lines)
        colour = data.COLOURS[cycle % len(data.COLOURS)]
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
            "description": f"<p>{title}: made to be used every day and kept for years.</p>",
            "rating_seed": rng.random(),
        }


class _Batch:
    """The rows of one batch of demo products, written with one bulk insert per table (no per-row
    `save()`: a product with its variants, attribute values, category, image and stock was 20-30
    statements and, through the receivers, a stock-transition check per record)."""

    def __init__(self, *, classes, categories, partner, shared_images) -> None:
        self.classes, self.categories, self.partner, self.shared_images = classes, categories, partner, shared_images
        self.products: list = []  # top-level products
        self.children: list = []  # (parent index in self.products, child)
        self.values: list = []  # (product or child, attribute code, kind, value)
        self.links: list = []  # (product, category)
        self.images: list = []  # (product, file name, caption)
        self.stock: list = []  # (product or child, StockRecord without product)
        self.attributes = {
            (attribute.product_class_id, attribute.code): attribute
            for attribute in ProductAttribute.objects.filter(product_class__in=list(classes.values()))
        }
        self.options = {
            (option.group.name, option.option): option for option in AttributeOption.objects.select_related("group")
        }

    def add(self, *, spec: dict, rng: random.Random) -> None:
        """The same rows `Product.save()` and the attribute container wrote, with the same random draws."""
        kind = spec["kind"]
        structure = Product.PARENT if kind == "Clothing" else Product.STANDALONE
        product = Product(
            upc=spec["upc"],
            title=spec["title"],
            slug=slugify(spec["title"]),
            description=spec["description"],
            structure=structure,
            product_class=self.classes[kind],
            is_public=True,
        )
        self.products.append(product)
        if kind == "Homeware":
            self.values.append((product, "colour", "option", self.options["Colour", spec["colour"]]))
            self.values.append((product, "material", "text", rng.choice(data.MATERIALS)))
        elif kind == "Book":
            self.values.append((product, "author", "text", rng.choice(data.AUTHORS)))
            self.values.append((product, "pages", "integer", rng.randint(120, 640)))
        self.links.append((product, self.categories[spec["category_path"]]))
        image = _image_file(title=spec["title"], colour_name=spec["colour"], upc=spec["upc"], shared=self.shared_images)
        self.images.append((product, image, spec["title"]))
        if structure == Product.STANDALONE:
            low, high = (8, 140) if kind == "Homeware" else (9, 30)
            price = _price(rng, low, high)
            self.stock.append(
                (
                    product,
                    _stock_record(rng=rng, partner=self.partner, sku=f"{spec['upc']}-1", price=price),
                )
            )
            return
        base_price = _price(rng, 35, 180)
        for size in data.SIZES:
            child = Product(
                upc=f"{spec['upc']}-{size}",
                structure=Product.CHILD,
                title=f"{spec['title']}, size {size}",
                slug=slugify(f"{spec['title']}-{size}"),
                is_public=True,
            )
            self.children.append((product, child))
            self.values.append((child, "colour", "option", self.options["Colour", spec["colour"]]))
            self.values.append((child, "size", "option", self.options["Size", size]))
            record = _stock_record(rng=rng, partner=self.partner, sku=f"{spec['upc']}-{size}", price=base_price)
            self.stock.append((child, record))

    def write(self) -> list[int]:
        """Insert the batch; returns the top-level products' ids."""
        Product.objects.bulk_create(self.products)
        for parent, child in self.children:
            child.parent = parent
        Product.objects.bulk_create([child for _parent, child in self.children])
        values = []
        for product, code, kind, value in self.values:
            class_id = product.parent.product_class_id if product.parent_id else product.product_class_id
            row = ProductAttributeValue(product=product, attribute=self.attributes[class_id, code])
            setattr(row, f"value_{kind}", value)
            values.append(row)
        ProductAttributeValue.objects.bulk_create(values)
        ProductCategory.objects.bulk_create([ProductCategory(product=p, category=c) for p, c in self.links])
        ProductImage.objects.bulk_create(
            [
                ProductImage(product=p, original=name, caption=caption, display_order=0)
                for p, name, caption in self.images
            ]
        )
        for product, record in self.stock:
            record.product = product
        StockRecord.objects.bulk_create([record for _product, record in self.stock])
        return [product.pk for product in self.products]


def products_build(
    *, rng: random.Random, count: int, classes, categories, partner, progress: Callable[[int], None] | None = None
) -> int:
    """Create the first `count` demo products that do not exist yet; returns how many were created.

    Batches of `BATCH_SIZE` products, each one transaction of bulk inserts (`_Batch`), then the batch's
    products indexed for search in bulk and their stock records' levels recorded (the baseline the
    back-in-stock detection compares with, ADR 46); the catalogue cache is invalidated once at the end
    (bulk inserts send no signals, ADR 23)."""
    existing = set(
        Product.objects.filter(upc__startswith=UPC_PREFIX, parent__isnull=True).values_list("upc", flat=True)
    )
    created = 0
    shared_images = {} if count > SHARED_IMAGES_FROM else None
    specs = _product_specs(rng, count)
    while True:
        batch = _Batch(classes=classes, categories=categories, partner=partner, shared_images=shared_images)
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
                product_ids = batch.write()
                stock_transitions_detect(stockrecord_ids=[record.pk for _product, record in batch.stock])
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
