"""StreamField blocks for Hypex pages.

Product blocks store product/category ids only; each time a block renders or is served by the API it
reads product cards from the catalogue's read model (`catalogue.selectors.ProductCard`, via
`content.selectors`): the prices and availability the product page and the products API show.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.safestring import mark_safe
from oscar.core.loading import get_model
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from apibase.money import money_text
from catalogue.cache import cached_for_anonymous
from catalogue.selectors import product_cards_latest
from checkout.shipping.selectors import delivery_terms

from .choosers import category_chooser_viewset, product_chooser_viewset
from .selectors import product_cards_for, product_cards_matching, voucher_offer_live
from .validators import link_validator

ProductChooserBlock = product_chooser_viewset.get_block_class(name="ProductChooserBlock", module_path="content.blocks")
CategoryChooserBlock = category_chooser_viewset.get_block_class(
    name="CategoryChooserBlock", module_path="content.blocks"
)


def _request(parent_context):
    return (parent_context or {}).get("request")


def _without_ids(data):
    """A block's stored value without its list items' ids, which Wagtail makes anew on every read of a
    list stored without them: the same value gives the same cache key."""
    if isinstance(data, dict):
        return {key: _without_ids(item) for key, item in data.items() if not (key == "id" and "value" in data)}
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    return data


class CatalogueCachedBlock(blocks.StructBlock):
    """A block of product cards whose HTML, for anonymous shoppers, comes from the catalogue cache: keyed
    by the block's value and the catalogue version, which any product, stock or price change bumps, so
    the cards stay live (ADR 0020, 0023) while a warm page renders no card (ADR 0058)."""

    def render(self, value, context=None):
        request = _request(context)
        if request is None:
            return super().render(value, context=context)
        parts = (type(self).__name__, json.dumps(_without_ids(self.get_prep_value(value)), sort_keys=True, default=str))
        rendered = super().render  # the block's template, with its live cards

        html = cached_for_anonymous(request, "cms-block", parts, lambda: str(rendered(value, context=context)))
        return mark_safe(html)  # noqa: S308 - rendered by the block's own template


def _card_api(card) -> dict:
    """A product card (`catalogue.selectors.ProductCard`) as the CMS API shows it; money as the API's
    money object."""
    return {
        "id": card.id,
        "title": card.title,
        "url": card.url,
        "price": card.price.as_api(),
        "is_available": card.is_available,
        "availability": card.availability,
    }


class HeroBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=400)
    image = ImageChooserBlock(required=False)
    button_label = blocks.CharBlock(required=False, max_length=40)
    button_url = blocks.CharBlock(
        required=False, max_length=300, help_text="A path such as /catalogue/", validators=[link_validator]
    )

    class Meta:
        template = "content/blocks/hero.html"
        icon = "image"


class LatestProductsBlock(CatalogueCachedBlock):
    """The newest products, with live prices and availability from the catalogue."""

    title = blocks.CharBlock(max_length=120, default="New in")
    count = blocks.IntegerBlock(min_value=1, max_value=24, default=8)

    class Meta:
        template = "content/blocks/product_cards.html"
        icon = "list-ul"

    def get_context(self, value, parent_context=None):

        context = super().get_context(value, parent_context=parent_context)
        context["cards"] = product_cards_latest(request=_request(parent_context), limit=value["count"])
        return context


class FeaturedProductsBlock(CatalogueCachedBlock):
    """Products an editor picks with the product chooser, shown with their live price and stock."""

    title = blocks.CharBlock(max_length=120, required=False)
    products = blocks.ListBlock(ProductChooserBlock(), min_num=1, max_num=24)

    class Meta:
        template = "content/blocks/product_cards.html"
        icon = "tag"

    def cards(self, value, request=None):

        return product_cards_for(product_ids=[p.pk for p in value["products"] if p is not None], request=request)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["cards"] = self.cards(value, request=_request(parent_context))
        return context

    def get_api_representation(self, value, context=None):
        request = (context or {}).get("request")
        return {"title": value["title"], "products": [_card_api(card) for card in self.cards(value, request)]}


class ProductGridBlock(CatalogueCachedBlock):
    """A grid of products from a category (with its subcategories) and/or a search term."""

    title = blocks.CharBlock(max_length=120, required=False)
    category = CategoryChooserBlock(required=False)
    query = blocks.CharBlock(required=False, max_length=100, help_text="Matches title, UPC or SKU")
    count = blocks.IntegerBlock(min_value=1, max_value=48, default=12)

    class Meta:
        template = "content/blocks/product_cards.html"
        icon = "grip"

    def clean(self, value):
        value = super().clean(value)
        if value["category"] is None and not (value["query"] or "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={"category": ErrorList([ValidationError("Choose a category or enter a search term.")])}
            )
        return value

    def cards(self, value, request=None):

        return product_cards_matching(
            category=value["category"], query=value["query"] or "", limit=value["count"], request=request
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["cards"] = self.cards(value, request=_request(parent_context))
        return context

    def get_api_representation(self, value, context=None):
        request = (context or {}).get("request")
        return {"title": value["title"], "products": [_card_api(card) for card in self.cards(value, request)]}


class CategoryTileBlock(blocks.StructBlock):
    category = CategoryChooserBlock()
    image = ImageChooserBlock(required=False)
    label = blocks.CharBlock(required=False, max_length=60, help_text="Defaults to the category's name")


class CategoryTilesBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120, required=False)
    tiles = blocks.ListBlock(CategoryTileBlock(), min_num=1, max_num=12)

    class Meta:
        template = "content/blocks/category_tiles.html"
        icon = "folder-open-inverse"


class PromoBannerBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=300)
    image = ImageChooserBlock(required=False)
    link_url = blocks.CharBlock(
        required=False, max_length=300, help_text="A path such as /catalogue/", validators=[link_validator]
    )
    link_label = blocks.CharBlock(required=False, max_length=40)

    class Meta:
        template = "content/blocks/promo_banner.html"
        icon = "pick"


class VoucherCallToActionBlock(blocks.StructBlock):
    """Shows a voucher code while the voucher is usable; hides itself once it is not (checked live)."""

    title = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=300)
    code = blocks.CharBlock(max_length=128, help_text="An existing voucher code")
    button_label = blocks.CharBlock(required=False, max_length=40, default="Shop now")
    button_url = blocks.CharBlock(required=False, max_length=300, default="/catalogue/", validators=[link_validator])

    class Meta:
        template = "content/blocks/voucher_cta.html"
        icon = "ticket"

    def clean(self, value):

        value = super().clean(value)
        if not get_model("voucher", "Voucher").objects.filter(code=value["code"].strip().upper()).exists():
            raise blocks.StructBlockValidationError(
                block_errors={"code": ErrorList([ValidationError("No voucher has this code.")])}
            )
        return value

    def get_context(self, value, parent_context=None):

        context = super().get_context(value, parent_context=parent_context)
        context["voucher"] = voucher_offer_live(code=value["code"])
        return context

    def get_api_representation(self, value, context=None):

        voucher = voucher_offer_live(code=value["code"])
        return {
            **super().get_api_representation(value, context=context),
            "is_active": voucher is not None,
            "ends_at": voucher.end_datetime.isoformat() if voucher else None,
        }


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120, required=False)
    items = blocks.ListBlock(FaqItemBlock(), min_num=1)

    class Meta:
        template = "content/blocks/faq.html"
        icon = "help"


class DeliveryMethodsBlock(blocks.StructBlock):
    """The shop's delivery methods and what they cost, read from the shipping methods checkout uses each
    time the page renders: a delivery page never promises other prices than checkout charges."""

    title = blocks.CharBlock(max_length=120, required=False, default="Delivery options")

    class Meta:
        template = "content/blocks/delivery_methods.html"
        icon = "site"

    def get_context(self, value, parent_context=None):

        context = super().get_context(value, parent_context=parent_context)
        context["terms"] = delivery_terms()
        return context

    def get_api_representation(self, value, context=None):

        return {
            **super().get_api_representation(value, context=context),
            "methods": [
                {
                    "code": term.code,
                    "name": term.name,
                    "currency": term.currency,
                    "price_per_order": money_text(term.price_per_order),
                    "price_per_item": money_text(term.price_per_item),
                    "from_price": money_text(term.from_price),
                    "to_price": money_text(term.to_price),
                    "free_over": money_text(term.free_over),
                }  # fmt: skip
                for term in delivery_terms()
            ],
        }


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "document-link", "ol", "ul", "hr"]


def _heading():
    return blocks.CharBlock(form_classname="title", max_length=120, template="content/blocks/heading.html")


def _paragraph():
    return blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="content/blocks/paragraph.html")


class BodyBlock(blocks.StreamBlock):
    """The home page: hero, featured products, category tiles, promo banners and rich text."""

    hero = HeroBlock()
    featured_products = FeaturedProductsBlock()
    category_tiles = CategoryTilesBlock()
    promo_banner = PromoBannerBlock()
    latest_products = LatestProductsBlock()
    heading = _heading()
    paragraph = _paragraph()


class CampaignBlock(blocks.StreamBlock):
    """Landing and campaign pages."""

    hero = HeroBlock()
    featured_products = FeaturedProductsBlock()
    product_grid = ProductGridBlock()
    voucher_cta = VoucherCallToActionBlock()
    promo_banner = PromoBannerBlock()
    heading = _heading()
    paragraph = _paragraph()


class ArticleBlock(blocks.StreamBlock):
    """Content pages (about, FAQ, policies) and blog articles."""

    heading = _heading()
    paragraph = _paragraph()
    image = ImageChooserBlock(template="content/blocks/image.html")
    delivery_methods = DeliveryMethodsBlock()
    faq = FaqBlock()
    featured_products = FeaturedProductsBlock()
