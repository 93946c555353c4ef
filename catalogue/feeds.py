"""New products as RSS (/catalogue/feed/) and Atom (/catalogue/feed/atom/)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
FEED_SIZE = 30


class NewProductsFeed(Feed):
    title = f"New at {settings.OSCAR_SHOP_NAME}"
    link = "/catalogue/"
    description = "The newest products in the shop."

    def items(self):
        return Product.objects.browsable().order_by("-date_created", "-id")[:FEED_SIZE]

    def item_title(self, product):
        return product.get_title()

    def item_description(self, product):
        return strip_tags(product.description or "")[:500]

    def item_pubdate(self, product):
        return product.date_created

    def item_updateddate(self, product):
        return product.date_updated


class NewProductsAtomFeed(NewProductsFeed):
    feed_type = Atom1Feed
    subtitle = NewProductsFeed.description
