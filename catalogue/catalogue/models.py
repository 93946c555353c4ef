"""Hypex's catalogue models: Oscar's, with products indexed for search through Wagtail's engine
(the same backends that search CMS pages: database full-text by default)."""

from django.db import models
from modelsearch import index
from oscar.apps.catalogue.abstract_models import AbstractProduct, AbstractProductImage


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


class ProductImage(AbstractProductImage):
    """Oscar's product image, with the state of its renditions (the thumbnails pages and the API show,
    `catalogue.image_renditions`), kept by that module only (ADR 58)."""

    # When the renditions of the current `original` were made, or found impossible to make (then
    # `renditions_error` says why and they are not tried again until the image is saved). Null: not yet
    # (a new or changed image; rows written without signals), which the catch-up task looks for.
    renditions_made_at = models.DateTimeField(null=True, blank=True, editable=False)
    renditions_error = models.CharField(max_length=255, blank=True, default="", editable=False)

    class Meta(AbstractProductImage.Meta):
        indexes = [
            # Only the images still waiting (usually none): the catch-up task's lookup, by id.
            models.Index(
                fields=["id"],
                name="catalogue_image_renditions_due",
                condition=models.Q(renditions_made_at__isnull=True),
            ),
        ]


from oscar.apps.catalogue.models import *  # noqa: E402,F401,F403
