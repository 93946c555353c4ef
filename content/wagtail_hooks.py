"""Wagtail admin wiring: the catalogue choosers and the storefront snippets (menus, announcement, footer)."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .choosers import category_chooser_viewset, product_chooser_viewset
from .snippets import AnnouncementBar, Footer, NavigationMenu


@hooks.register("register_admin_viewset")
def register_catalogue_choosers():
    return [product_chooser_viewset, category_chooser_viewset]


class NavigationMenuViewSet(SnippetViewSet):
    model = NavigationMenu
    icon = "list-ul"
    menu_label = "Menus"
    list_display = ["title", "handle", "live"]


class AnnouncementBarViewSet(SnippetViewSet):
    model = AnnouncementBar
    icon = "warning"
    menu_label = "Announcement bar"
    list_display = ["text", "live", "updated_at"]


class FooterViewSet(SnippetViewSet):
    model = Footer
    icon = "form"
    menu_label = "Footer"
    list_display = ["name", "live", "updated_at"]


class StorefrontSnippets(SnippetViewSetGroup):
    menu_label = "Storefront"
    menu_icon = "desktop"
    menu_order = 250
    items = (NavigationMenuViewSet, AnnouncementBarViewSet, FooterViewSet)


register_snippet(StorefrontSnippets)
