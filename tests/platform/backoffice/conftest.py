"""Fixtures for the back office tests."""

import pytest


@pytest.fixture
def wagtail_tree(db):
    """Wagtail's root page and a home page. Migrations make them, but a transactional test elsewhere in
    the suite flushes the database; this puts them back when missing."""
    from wagtail.models import Locale, Page

    from content.models import HomePage

    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    home = root.get_children().first() or root.add_child(instance=HomePage(title="Home", slug="home"))
    return root, home


@pytest.fixture
def roles(db, wagtail_tree):
    """The staff role groups. The migration creates them; a flush (transactional tests) removes them,
    and `staff_roles_apply` (what the migration runs) brings them back. Idempotent."""
    from backoffice.roles import staff_roles_apply

    return staff_roles_apply()


def variant_family(*, title: str = "Tee", sizes=("S", "M", "L"), price: str = "20.00", stock: int = 5):
    """A public parent product of type "Clothing" (attribute size: S, M, L, XL) with one variant per size,
    each stocked at the partner "Main" (SKU "<TITLE>-<size>", the price and stock given). Returns the
    parent, its variants in size order and the size options by name."""
    from decimal import Decimal

    from django.utils.text import slugify
    from oscar.core.loading import get_model

    attribute_option = get_model("catalogue", "AttributeOption")
    product = get_model("catalogue", "Product")
    product_class, _ = get_model("catalogue", "ProductClass").objects.get_or_create(name="Clothing")
    group, _ = get_model("catalogue", "AttributeOptionGroup").objects.get_or_create(name="Size")
    options = {s: attribute_option.objects.get_or_create(group=group, option=s)[0] for s in ("S", "M", "L", "XL")}
    get_model("catalogue", "ProductAttribute").objects.get_or_create(
        product_class=product_class, code="size", defaults={"name": "Size", "type": "option", "option_group": group}
    )
    partner, _ = get_model("partner", "Partner").objects.get_or_create(name="Main")
    parent = product.objects.create(
        title=title,
        upc=slugify(title).upper(),
        slug=slugify(title),
        structure=product.PARENT,
        product_class=product_class,
        is_public=True,
    )
    variants = []
    for size in sizes:
        variant = product(parent=parent, structure=product.CHILD, title=f"{title}, size {size}", is_public=True)
        variant.attr.size = options[size]
        variant.save()
        variant.stockrecords.create(
            partner=partner,
            partner_sku=f"{title.upper()}-{size}",
            price=Decimal(price),
            price_currency="GBP",
            num_in_stock=stock,
        )
        variants.append(variant)
    return parent, variants, options
