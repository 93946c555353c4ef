"""Output serializers for the catalogue API, over the product read model (`catalogue.selectors`:
`ProductCard`, `ProductDetail`). Money is the API's money object (`apibase.money`)."""

from django.utils.encoding import iri_to_uri
from rest_framework import serializers

from apibase.fields import StrictTypesMixin
from apibase.money import MoneySerializer
from catalogue.selectors import API_THUMBNAIL_GEOMETRY


def _absolute(serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class AbsoluteUrlField(serializers.URLField):
    """A path on this site, written as an absolute URL on the host the request came to."""

    def to_representation(self, value):
        return _absolute(self, value)


class ThumbnailUrlField(AbsoluteUrlField):
    """An `ImageRead`'s rendition at most `size`, as an absolute URL."""

    def __init__(self, *, size: str, **kwargs):
        self.size = size
        super().__init__(source="*", **kwargs)

    def to_representation(self, value):
        return super().to_representation(value.thumbnail_url(self.size))


class ProductCardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    structure = serializers.CharField(help_text="standalone or parent")
    url = serializers.SerializerMethodField()
    price = MoneySerializer()
    is_available = serializers.BooleanField()
    availability = serializers.CharField()

    def get_url(self, card) -> str:
        return _absolute(self, card.url)


def card_rows_json(cards, *, request) -> list[dict]:
    """`ProductCardSerializer(cards, many=True).data` written by hand (`catalogue.listing_rows.CardRow`s
    or `ProductCard`s): the same keys in the same order and the same values (tests/catalogue/api/
    test_products_api.py compares them), without a field object per value (issue 17, ADR 57). The
    schema still reads `ProductCardSerializer`."""
    # `request.build_absolute_uri(path)` for a path of this site: the scheme and host, then the path
    # (non-ASCII slugs percent-encoded).
    base = request.build_absolute_uri("/")[:-1]
    return [
        {
            "id": card.id,
            "title": card.title,
            "slug": card.slug,
            "structure": card.structure,
            "url": base + (card.url if card.url.isascii() else iri_to_uri(card.url)),
            "price": card.price.as_api(),
            "is_available": card.is_available,
            "availability": card.availability,
        }
        for card in cards
    ]


class CategoryNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    depth = serializers.IntegerField()
    product_count = serializers.IntegerField(help_text="Browsable products here or in a subcategory.")
    children = serializers.ListField(child=serializers.DictField(), help_text="Subcategories, same shape.")


class BreadcrumbSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class CategoryDetailSerializer(CategoryNodeSerializer):
    breadcrumbs = BreadcrumbSerializer(many=True)


class AttributeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.CharField()


class ImageSerializer(serializers.Serializer):
    original = AbsoluteUrlField(source="url")
    thumbnail = ThumbnailUrlField(size=API_THUMBNAIL_GEOMETRY, help_text="300x300 at most.")
    caption = serializers.CharField(allow_blank=True)


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class VariantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    upc = serializers.CharField(allow_null=True)
    attributes = AttributeSerializer(many=True)
    price = MoneySerializer()
    is_available = serializers.BooleanField()
    availability = serializers.CharField()


class ProductDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    url = AbsoluteUrlField()
    structure = serializers.CharField()
    upc = serializers.CharField(allow_null=True)
    product_class = serializers.CharField(allow_null=True)
    description = serializers.CharField(allow_blank=True)
    images = ImageSerializer(many=True)
    attributes = AttributeSerializer(many=True)
    categories = CategoryRefSerializer(many=True)
    price = MoneySerializer()
    is_available = serializers.BooleanField()
    availability = serializers.CharField()
    rating = serializers.FloatField(allow_null=True)
    reviews_count = serializers.IntegerField()
    variants = VariantSerializer(many=True)


class RecommendationSerializer(ProductCardSerializer):
    reason = serializers.ChoiceField(
        choices=["also_bought", "same_category"],
        help_text="also_bought: in the same orders as this product; same_category: a newer product nearby.",
    )


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    score = serializers.IntegerField(min_value=0, max_value=5)
    title = serializers.CharField()
    body = serializers.CharField()
    reviewer = serializers.CharField(source="reviewer_name")
    status = serializers.SerializerMethodField(help_text="pending (awaiting moderation), approved or rejected.")
    date_created = serializers.DateTimeField()

    def get_status(self, review) -> str:
        return {0: "pending", 1: "approved", 2: "rejected"}[review.status]


class ReviewCreateSerializer(StrictTypesMixin, serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5, help_text="1 to 5 stars.")
    title = serializers.CharField(max_length=255, trim_whitespace=True)
    body = serializers.CharField(max_length=5000, trim_whitespace=True)


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="Path on this site.")


class SuggestionsSerializer(serializers.Serializer):
    q = serializers.CharField(allow_blank=True, help_text="The query as used (trimmed, at most 100 characters).")
    products = SuggestionSerializer(many=True)
    pages = SuggestionSerializer(many=True)
