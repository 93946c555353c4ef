"""Wagtail page types.

Home (`/`), campaign/landing pages, content pages (about, FAQ, policies), a blog index with articles.
Snippets and site settings live in `content/snippets.py`.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page, Site
from wagtail.search import index

from ops.site_url import site_base_url

from .blocks import RICH_TEXT_FEATURES, ArticleBlock, BodyBlock, CampaignBlock
from .snippets import AnnouncementBar, Footer, NavigationMenu, SiteContactSettings  # noqa: F401 - registers them


def url_parts_on_served_host(parts, request):
    """Wagtail's `(site_id, root_url, path)` with the root URL replaced by the host `request` came to
    (ADR 0031), when the page belongs to the site serving the request: Wagtail takes the root URL from
    the `Site` row (the configured `SITE_URL`), which is wrong when the shop is served elsewhere
    (`make run` on another port). Without a request (or for a page of another site), unchanged."""
    if parts is None or not isinstance(request, HttpRequest):
        return parts
    site_id, root_url, page_path = parts
    serving = Site.find_for_request(request)
    if serving is None or serving.pk != site_id or root_url is None:
        return parts
    return site_id, site_base_url(request=request), page_path


def page_full_url(*, page, request) -> str | None:
    """`page`'s absolute URL on the host `request` came to (any page, specific or not; `request` may be
    DRF's wrapper)."""
    request = getattr(request, "_request", request)
    parts = url_parts_on_served_host(page.get_url_parts(request=request), request)
    if parts is None or parts[1] is None and parts[2] is None:
        return None
    return parts[1] + parts[2]


class ServedHostUrls:
    """Page URLs built for a request (sitemap, canonical links) use the host it came to (ADR 0031)."""

    def get_url_parts(self, request=None):
        return url_parts_on_served_host(super().get_url_parts(request=request), request)


class HomePage(ServedHostUrls, Page):
    """The shop's front page, at `/`."""

    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    api_fields = [APIField("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "home page"


class CampaignPage(ServedHostUrls, Page):
    """A landing or campaign page: chosen products, product grids and a voucher call to action."""

    intro = models.TextField(blank=True, max_length=400)
    body = StreamField(CampaignBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]
    parent_page_types = ["content.HomePage", "content.ContentPage"]
    subpage_types: list[str] = []
    template = "content/campaign_page.html"

    class Meta:
        verbose_name = "campaign page"


class ContentPage(ServedHostUrls, Page):
    """About, FAQ, delivery and returns, privacy: text, images and questions."""

    body = StreamField(ArticleBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    api_fields = [APIField("body")]
    parent_page_types = ["content.HomePage", "content.ContentPage"]
    template = "content/content_page.html"

    class Meta:
        verbose_name = "content page"


class BlogIndexPage(ServedHostUrls, Page):
    """Lists the live articles below it, newest first, 10 a page (`?page=2`)."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    per_page = 10

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.BlogArticlePage"]
    template = "content/blog_index_page.html"

    class Meta:
        verbose_name = "blog index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = (
            BlogArticlePage.objects.live().public().child_of(self).order_by("-published_date", "-first_published_at")
        )
        context["articles"] = Paginator(articles.select_related("image"), self.per_page).get_page(
            request.GET.get("page")
        )
        return context


class BlogArticlePage(ServedHostUrls, Page):
    published_date = models.DateField(default=timezone.localdate)
    intro = models.TextField(blank=True, max_length=400)
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = StreamField(ArticleBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("published_date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [
        APIField("published_date"),
        APIField("intro"),
        APIField("image", serializer=ImageRenditionField("fill-1200x630")),
        APIField("body"),
    ]
    parent_page_types = ["content.BlogIndexPage"]
    subpage_types: list[str] = []
    template = "content/blog_article_page.html"

    class Meta:
        verbose_name = "blog article"
