"""Storefront fragments edited in Wagtail, for templates/oscar/base.html:

    {% load hypex_content %}
    {% announcement_bar %}      the live announcement (nothing when there is none)
    {% nav_menu "header" %}     a menu snippet by handle, as <nav class="hx-menu hx-menu--header"><ul>...
    {% menu_links "header" as links %}  the same links as data (the header menu in oscar/partials)
    {% site_footer %}           the live footer: text, its menu, contact, social links, copyright
    {% site_contact %}          contact details and social links from the site settings

Each reads through `content.cache` (one cache hit per fragment; invalidated when any of them is saved).
"""

from __future__ import annotations

from django import template
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from ..cache import content_cache_get_or_set
from ..snippets import AnnouncementBar, Footer, NavigationMenu, SiteContactSettings

register = template.Library()


def _site(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.filter(is_default_site=True).first()


def _site_key(context) -> str:
    """What picks the site (the request's host and port), so a cached fragment is found without
    looking the site up (a query per page otherwise); the site is looked up only to compute it."""
    request = context.get("request")
    return request.get_host() if request is not None else ""


def _live_menus() -> dict[str, list[dict]]:
    """Every live menu's links by handle, in one query: the header's and the footer's menus are one read
    of the database and of the cache, not one each."""
    return {menu.handle: menu.links() for menu in NavigationMenu.objects.filter(live=True)}


def _menu_links(handle: str) -> list[dict]:
    return content_cache_get_or_set(key="menus", compute=_live_menus).get(handle, [])


def _contact(site) -> dict:
    if site is None:
        return {}
    contact = SiteContactSettings.for_site(site)
    return {
        "email": contact.email,
        "phone": contact.phone,
        "address": contact.address,
        "opening_hours": contact.opening_hours,
        "social_links": contact.social_links(),
    }


@register.simple_tag
def menu_links(handle: str) -> list[dict]:
    """The live links of the menu `handle` ([] when there is none): `{% menu_links "header" as links %}`."""
    return _menu_links(handle)


@register.inclusion_tag("content/includes/nav_menu.html")
def nav_menu(handle: str) -> dict:
    return {"handle": handle, "links": menu_links(handle)}


@register.inclusion_tag("content/includes/announcement_bar.html")
def announcement_bar() -> dict:
    def compute() -> dict:
        bar = AnnouncementBar.objects.filter(live=True).first()
        return {"text": bar.text, "link_url": bar.link_url, "link_label": bar.link_label} if bar else {}

    return {"announcement": content_cache_get_or_set(key="announcement", compute=compute)}


@register.inclusion_tag("content/includes/site_contact.html", takes_context=True)
def site_contact(context) -> dict:
    key = f"contact:{_site_key(context)}"
    return {"contact": content_cache_get_or_set(key=key, compute=lambda: _contact(_site(context)))}


@register.inclusion_tag("content/includes/site_footer.html", takes_context=True)
def site_footer(context) -> dict:
    def compute() -> dict:
        site = _site(context)
        footer = Footer.objects.filter(live=True).select_related("menu").first()
        menu = footer.menu if footer and footer.menu and footer.menu.live else None
        return {
            "text": expand_db_html(footer.text) if footer else "",
            "copyright": footer.copyright if footer else "",
            # The footer's menu from the one read of every live menu (the header's too), not read again.
            "links": _menu_links(menu.handle if menu else "footer"),
            "contact": _contact(site),
        }

    data = content_cache_get_or_set(key=f"footer:{_site_key(context)}", compute=compute)
    return {"footer": data}
