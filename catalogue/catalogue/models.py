"""Hypex's catalogue models: Oscar's, with products indexed for search through Wagtail's engine
(the same backends that search CMS pages: database full-text by default)."""

from django.db import models
from modelsearch import index
from oscar.apps.catalogue.abstract_models import AbstractProduct


class Product(index.Indexed, AbstractProduct):
    # Approved reviews; kept with `rating` by catalogue.reviews.services (never by save()).
    reviews_count = models.PositiveIntegerField(default=0, editable=False)

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.SearchField("upc", boost=2),
        index.RelatedFields("categories", [index.SearchField("name")]),
        index.RelatedFields("product_class", [index.SearchField("name")]),
        index.FilterField("is_public"),
        index.FilterField("structure"),
        index.FilterField("parent_id"),
        index.FilterField("date_created"),
        index.FilterField("rating"),
    ]


from oscar.apps.catalogue.models import *  # noqa: E402,F401,F403
