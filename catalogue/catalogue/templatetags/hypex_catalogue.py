"""Template tags of the catalogue: `{% catalogue_version as v %}` for fragment cache keys
(see catalogue/cache.py: a product, stock or price change bumps it) and
`{% card_thumbnail image.original image.is_missing as thumb %}`, a product card's square image."""

from django import template

from catalogue.cache import catalogue_version as _catalogue_version
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
