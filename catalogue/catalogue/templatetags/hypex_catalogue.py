"""Template tags of the catalogue: `{% catalogue_version as v %}` for fragment cache keys
(see catalogue/cache.py: a product, stock or price change bumps it) and
`{% card_thumbnail image.original image.is_missing as thumb %}`, a product card's square image, and
`{% menu_categories as categories %}`, the header menu's categories (cached until a category changes)."""

from django import template

from catalogue.cache import cached_category_part
from catalogue.cache import catalogue_version as _catalogue_version
from catalogue.categories import menu_categories as _menu_categories
from catalogue.selectors import Thumbnail, square_thumbnail

register = template.Library()


@register.simple_tag
def catalogue_version() -> int:
    return _catalogue_version()


@register.simple_tag
def card_thumbnail(original, is_missing=False) -> Thumbnail:
    """A product card's image at the one card size (`catalogue.selectors.CARD_IMAGE_GEOMETRY`): the
    product image cropped to the square, or the square placeholder when `is_missing` (Oscar's
    `primary_image` for a product without images) or the file is gone."""
    return square_thumbnail(original=None if is_missing else original)


@register.simple_tag
def menu_categories() -> list[dict]:
    """The top-level categories as the header menu shows them ({"name", "url"}): two cache reads per page
    (the categories version, the menu), one query when a category changed. Oscar's `category_tree` made
    two queries on every page."""
    return cached_category_part("menu-categories", _menu_categories)
