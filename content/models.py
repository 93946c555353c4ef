"""Wagtail page types.

Home (`/`), campaign/landing pages, content pages (about, FAQ, policies), a blog index with articles.
Snippets and site settings live in `content/snippets.py`.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from .blocks import RICH_TEXT_FEATURES, ArticleBlock, BodyBlock, CampaignBlock
from .snippets import AnnouncementBar, Footer, NavigationMenu, SiteContactSettings  # noqa: F401 - registers them


class HomePage(Page):
    """The shop's front page, at `/`."""

    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    api_fields = [APIField("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "home page"


class CampaignPage(Page):
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


class ContentPage(Page):
    """About, FAQ, delivery and returns, privacy: text, images and questions."""

    body = StreamField(ArticleBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    api_fields = [APIField("body")]
    parent_page_types = ["content.HomePage", "content.ContentPage"]
    template = "content/content_page.html"

    class Meta:
        verbose_name = "content page"


class BlogIndexPage(Page):
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


class BlogArticlePage(Page):
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
