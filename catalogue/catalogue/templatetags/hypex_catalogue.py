"""Template tags of the catalogue: `{% catalogue_version as v %}` for fragment cache keys
(see catalogue/cache.py: a product, stock or price change bumps it)."""

from django import template

from catalogue.cache import catalogue_version as _catalogue_version

register = template.Library()


@register.simple_tag
def catalogue_version() -> int:
    return _catalogue_version()
