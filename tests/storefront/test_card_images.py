"""Product grids stay even: a product without images (an import without pictures) gets Oscar's
placeholder through the same square thumbnail as a product image, on catalogue pages and in CMS blocks."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from oscar.core.loading import get_model
from oscar.test.factories import create_product
from PIL import Image

from catalogue.product_page import card_data
from catalogue.selectors import CARD_IMAGE_GEOMETRY, product_cards

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")
SIDE = CARD_IMAGE_GEOMETRY.split("x")[0]


def _landscape_jpeg() -> ContentFile:
    """A 600x300 photo: a different shape from the square cards and from the 4:3 placeholder."""
    buffer = io.BytesIO()
    Image.new("RGB", (600, 300), (30, 90, 160)).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name="wide.jpg")


@pytest.fixture
def pictured_and_bare():
    pictured = create_product(title="Pictured Lamp", price=Decimal("20.00"), num_in_stock=5)
    ProductImage.objects.create(product=pictured, original=_landscape_jpeg(), display_order=0)
    bare = create_product(title="Imported Lamp", price=Decimal("20.00"), num_in_stock=5)
    return pictured, bare


def _card_images(html: str) -> dict[str, str]:
    """Each card image tag by its alt text (the product title)."""
    return {
        alt: tag
        for tag in re.findall(r"<img [^>]*hx-card-image[^>]*>", html)
        for alt in re.findall(r'alt="([^"]*)"', tag)
    }


def _box(tag: str) -> tuple[str, str]:
    return re.search(r'width="(\d+)"', tag).group(1), re.search(r'height="(\d+)"', tag).group(1)


def test_a_catalogue_page_shows_the_placeholder_in_the_same_square_as_a_product_image(client, pictured_and_bare):
    html = client.get("/catalogue/").content.decode()

    images = _card_images(html)
    assert _box(images["Pictured Lamp"]) == _box(images["Imported Lamp"]) == (SIDE, SIDE)
    assert "data-placeholder" in images["Imported Lamp"] and "data-placeholder" not in images["Pictured Lamp"]


def test_a_cms_product_block_shows_the_placeholder_in_the_same_square_as_a_product_image(client, pictured_and_bare):
    from content.models import HomePage

    home = HomePage.objects.get()
    home.body = [("featured_products", {"title": "Picks", "products": list(pictured_and_bare)})]
    home.save_revision().publish()

    images = _card_images(client.get("/").content.decode())

    assert _box(images["Pictured Lamp"]) == _box(images["Imported Lamp"]) == (SIDE, SIDE)


def test_also_bought_cards_of_a_product_without_images_have_the_placeholder(pictured_and_bare):
    cards = [card_data(card) for card in product_cards(products=pictured_and_bare)]

    assert all(card["thumbnail"] for card in cards)  # none left without an image (a shorter card)
