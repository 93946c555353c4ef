"""The demo site's content: campaign, about/FAQ/delivery pages, a journal, menus, footer, announcement
and contact settings; the seeded home page gains category tiles, a promo banner and editor's picks.

Idempotent: what exists (by slug, handle or text) is left as it is, so an editor's changes survive a
second `seed_demo`. Runs after the catalogue, the voucher and `home_page_build`.
"""

from __future__ import annotations

from django.db import transaction
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency
from wagtail.models import Page, Site

from checkout.shipping.selectors import free_delivery_threshold
from content.models import BlogArticlePage, BlogIndexPage, CampaignPage, ContentPage, HomePage
from content.snippets import AnnouncementBar, Footer, NavigationMenu, SiteContactSettings

from .builders import DEMO_VOUCHER_CODE

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

# The block types home_page_build writes: only a home page still exactly like that is extended.
_SEEDED_HOME_BLOCKS = ["hero", "latest_products", "heading", "paragraph"]


def _child(parent: Page, page: Page) -> Page:
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _published(obj):
    obj.save()
    obj.save_revision().publish()
    return obj


def _picks(count: int) -> list:
    return list(Product.objects.browsable().order_by("upc")[:count])


def _home_extend(home: HomePage) -> None:
    if [block.block_type for block in home.body] != _SEEDED_HOME_BLOCKS:
        return  # an editor (or an earlier run) has shaped it: leave it alone
    roots = list(Category.objects.filter(depth=1, is_public=True).order_by("path"))
    blocks = list(home.body.raw_data)
    extra = []
    if roots:
        tiles = [{"category": category.pk, "image": None, "label": ""} for category in roots]
        extra.append({"type": "category_tiles", "value": {"title": "Shop by category", "tiles": tiles}})
    extra.append(
        {
            "type": "promo_banner",
            "value": {
                "title": "Summer edit: 20% off linen",
                "text": "Light shirts and knitwear for long evenings.",
                "image": None,
                "link_url": "/summer-edit/",
                "link_label": "See the edit",
            },
        }
    )
    picks = _picks(4)
    if picks:
        extra.append(
            {"type": "featured_products", "value": {"title": "Editor's picks", "products": [p.pk for p in picks]}}
        )
    home.body = blocks[:2] + extra + blocks[2:]
    home.save_revision().publish()


def _pages(home: HomePage) -> dict[str, Page]:
    clothing = Category.objects.filter(depth=1, name="Clothing").first()
    campaign_body = [
        (
            "hero",
            {"title": "The summer edit", "text": "Linen, cotton and light knits.", "button_url": "/catalogue/"},
        ),
        ("voucher_cta", {"title": "10% off your first order", "text": "Over £20.", "code": DEMO_VOUCHER_CODE}),
    ]
    picks = _picks(3)
    if picks:
        campaign_body.insert(1, ("featured_products", {"title": "Our favourites", "products": picks}))
    if clothing is not None:
        campaign_body.append(("product_grid", {"title": "All clothing", "category": clothing, "query": "", "count": 8}))
    campaign_body.append(("product_grid", {"title": "Shirts", "category": None, "query": "shirt", "count": 8}))
    pages = {
        "campaign": _child(
            home,
            CampaignPage(title="Summer edit", slug="summer-edit", intro="Things for warm days.", body=campaign_body),
        ),
        "about": _child(
            home,
            ContentPage(
                title="About us",
                slug="about",
                body=[
                    ("paragraph", "<p>Hypex sells fewer, better things - and repairs what it sells.</p>"),
                    ("heading", "Our promise"),
                    ("paragraph", "<ul><li>Free repairs for life</li><li>Honest prices</li></ul>"),
                ],
            ),
        ),
        "faq": _child(
            home,
            ContentPage(
                title="FAQ",
                slug="faq",
                body=[
                    (
                        "faq",
                        {
                            "title": "Questions we are asked",
                            "items": [
                                {
                                    "question": "How fast do you deliver?",
                                    "answer": (
                                        "<p>As fast as the delivery method you choose at checkout: each "
                                        "method's time and charge are on "
                                        '<a href="/delivery-returns/">Delivery and returns</a>.</p>'
                                    ),
                                },
                                {"question": "Can I return things?", "answer": "<p>Yes, within 30 days.</p>"},
                                {"question": "Do you repair?", "answer": "<p>Everything we sell, for life.</p>"},
                            ],
                        },
                    )
                ],
            ),
        ),
        "delivery": _child(
            home,
            ContentPage(
                title="Delivery and returns",
                slug="delivery-returns",
                body=[
                    ("paragraph", "<p>Every order is packed the day it is placed. Returns are free for 30 days.</p>"),
                    ("delivery_methods", {"title": "Delivery options"}),  # read live from the shipping methods
                ],
            ),
        ),
        "privacy": _child(
            home,
            ContentPage(
                title="Privacy policy",
                slug="privacy",
                body=[("paragraph", "<p>We keep only what we need to deliver your order and never sell it.</p>")],
            ),
        ),
    }
    pages["contact"] = _child(
        home,
        ContentPage(
            title="Contact us",
            slug="contact",
            body=[
                (
                    "paragraph",
                    "<p>Questions about a product or an order? Press Help on any page to chat with us. When no one"
                    " is online, leave your question there and we answer by email.</p>"
                    "<p>Our email address, phone number, address and opening hours are at the foot of every"
                    " page.</p>",
                ),
            ],
        ),
    )
    journal = _child(home, BlogIndexPage(title="Journal", slug="journal", intro="<p>Notes from the workshop.</p>"))
    _child(
        journal,
        BlogArticlePage(
            title="How we choose linen",
            slug="how-we-choose-linen",
            published_date="2026-06-01",
            intro="Weight, weave and where it grows.",
            body=[("paragraph", "<p>Good linen softens with every wash.</p>")],
        ),
    )
    pages["journal"] = journal
    return pages


def _menus(pages: dict[str, Page]) -> None:
    def link(label: str, page: Page | None = None, url: str = "") -> tuple:
        return ("link", {"label": label, "page": page, "url": url})

    if not NavigationMenu.objects.filter(handle="header").exists():
        _published(
            NavigationMenu(
                handle="header",
                title="Header",
                items=[
                    link("Shop", url="/catalogue/"),
                    link("Summer edit", pages["campaign"]),
                    link("Journal", pages["journal"]),
                    link("About", pages["about"]),
                ],
            )
        )
    if not NavigationMenu.objects.filter(handle="footer").exists():
        footer_menu = _published(
            NavigationMenu(
                handle="footer",
                title="Footer",
                items=[
                    link("FAQ", pages["faq"]),
                    link("Delivery and returns", pages["delivery"]),
                    link("Privacy", pages["privacy"]),
                    link("Contact us", pages["contact"]),
                ],
            )
        )
        if not Footer.objects.exists():
            _published(
                Footer(
                    text="<p>Things worth keeping, made to last and repaired for life.</p>",
                    menu=footer_menu,
                    copyright="Hypex Ltd",
                )
            )


def _delivery_promise() -> str:
    """The announcement's delivery line, from the shipping methods checkout charges (never typed in)."""
    term = free_delivery_threshold()
    if term is None:
        return ""
    return f"{term.name} free over {currency(term.free_over, term.currency)} - and "


@transaction.atomic
def site_content_build() -> None:
    home = HomePage.objects.get()
    _home_extend(home)
    pages = _pages(home)
    _menus(pages)
    if not AnnouncementBar.objects.exists():
        _published(
            AnnouncementBar(
                text=f"{_delivery_promise()}10% off your first order with {DEMO_VOUCHER_CODE}",
                link_url="/delivery-returns/",
                link_label="Details",
            )
        )
    site = Site.objects.get(is_default_site=True)
    SiteContactSettings.objects.get_or_create(
        site=site,
        defaults={
            "email": "hello@hypex.test",
            "phone": "+44 113 496 0000",
            "address": "1 Mill Yard\nLeeds LS1 1AA",
            "opening_hours": "Mon-Sat 9:00-18:00",
            "instagram_url": "https://www.instagram.com/hypex",
            "facebook_url": "https://www.facebook.com/hypex",
        },
    )
