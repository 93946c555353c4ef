"""StreamField blocks for Hypex pages."""

from wagtail import blocks


class HeroBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=400)
    button_label = blocks.CharBlock(required=False, max_length=40)
    button_url = blocks.CharBlock(required=False, max_length=300, help_text="A path such as /catalogue/")

    class Meta:
        template = "content/blocks/hero.html"
        icon = "image"


class LatestProductsBlock(blocks.StructBlock):
    """The newest products, with live prices and availability from the catalogue."""

    title = blocks.CharBlock(max_length=120, default="New in")
    count = blocks.IntegerBlock(min_value=1, max_value=24, default=8)

    class Meta:
        template = "content/blocks/latest_products.html"
        icon = "list-ul"

    def get_context(self, value, parent_context=None):
        from catalogue.selectors import product_cards_latest

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        context["cards"] = product_cards_latest(request=request, limit=value["count"])
        return context


class BodyBlock(blocks.StreamBlock):
    hero = HeroBlock()
    heading = blocks.CharBlock(form_classname="title", max_length=120, template="content/blocks/heading.html")
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3"])
    latest_products = LatestProductsBlock()
