"""Snippets (navigation menus, the announcement bar, the footer) and the site's contact settings.

Menus, announcement and footer have drafts, revisions and scheduled publishing (`DraftStateMixin`):
the row holds what is live, a draft waits in a revision. The storefront reads them through the
template tags in `content/templatetags/hypex_content.py`, cached until one of them is saved.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, RevisionMixin

from .validators import link_validator


class LinkBlock(blocks.StructBlock):
    """A menu entry: a label and either a page of the site or a URL/path."""

    label = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(
        required=False, max_length=300, help_text="A path (/catalogue/) or a full URL", validators=[link_validator]
    )

    class Meta:
        icon = "link"

    def clean(self, value):
        value = super().clean(value)
        if (value["page"] is None) == (not value["url"]):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ErrorList([ValidationError("Choose a page or enter a URL, not both.")])}
            )
        return value


class NavigationMenu(DraftStateMixin, RevisionMixin, models.Model):
    """A list of links with a handle the templates ask for: `header`, `footer`, ..."""

    handle = models.SlugField(max_length=40, unique=True, help_text='Used by templates: {% nav_menu "header" %}')
    title = models.CharField(max_length=80)
    items = StreamField([("link", LinkBlock())], blank=True)

    panels = [FieldPanel("handle"), FieldPanel("title"), FieldPanel("items")]

    class Meta:
        ordering = ["handle"]

    def __str__(self) -> str:
        return f"{self.title} ({self.handle})"

    def links(self) -> list[dict]:
        """Label and href of each entry; entries whose page is gone or not live are left out."""
        result = []
        for child in self.items:
            page, url = child.value["page"], child.value["url"]
            if page is not None:
                if not page.live:
                    continue
                url = page.url
            result.append({"label": child.value["label"], "url": url})
        return result


class AnnouncementBar(DraftStateMixin, RevisionMixin, models.Model):
    """One line across the top of every page ("Free delivery over £50"). The newest live one shows."""

    text = models.CharField(max_length=200)
    link_url = models.CharField(
        max_length=300, blank=True, help_text="A path (/catalogue/) or a full URL", validators=[link_validator]
    )
    link_label = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("text"), FieldPanel("link_url"), FieldPanel("link_label")]

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.text


class Footer(DraftStateMixin, RevisionMixin, models.Model):
    """The site footer: a short text, a menu of links and a copyright line. The newest live one shows."""

    name = models.CharField(max_length=80, default="Footer")
    text = RichTextField(blank=True, features=["bold", "italic", "link"])
    menu = models.ForeignKey(NavigationMenu, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    copyright = models.CharField(max_length=120, blank=True, help_text="Shown after ©, e.g. Hypex Ltd")
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("name"), FieldPanel("text"), FieldPanel("menu"), FieldPanel("copyright")]

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name


@register_setting(icon="site")
class SiteContactSettings(BaseSiteSetting):
    """How shoppers reach the shop, per Wagtail site: shown by `{% site_contact %}` and the footer."""

    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True, max_length=400)
    opening_hours = models.CharField(max_length=120, blank=True)
    facebook_url = models.URLField(blank=True)
    instagram_url = models.URLField(blank=True)
    x_url = models.URLField(blank=True, verbose_name="X (Twitter) URL")
    youtube_url = models.URLField(blank=True)

    class Meta:
        verbose_name = "contact and social links"

    def social_links(self) -> list[dict]:
        named = [
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("X", self.x_url),
            ("YouTube", self.youtube_url),
        ]
        return [{"label": label, "url": url} for label, url in named if url]
