"""django-oscar: the commerce models. Our forks replace Oscar's apps of the same label."""

from oscar.defaults import *  # noqa: F401,F403

from checkout.order import statuses as order_statuses
from config.env import env_bool, env_int, env_str

OSCAR_INSTALLED_APPS = [
    "config.shop.HypexShop",  # config/shop.py: Oscar's root app, without the "/" redirect or the dashboard
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "checkout.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "checkout.shipping.apps.ShippingConfig",
    "catalogue.catalogue.apps.CatalogueConfig",
    "catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "catalogue.partner.apps.PartnerConfig",
    "checkout.basket.apps.BasketConfig",
    "checkout.payment.apps.PaymentConfig",
    "checkout.offer.apps.OfferConfig",
    "checkout.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "catalogue.search.apps.SearchConfig",
    "checkout.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    # Oscar's dashboard apps stay installed because Oscar's code looks them up, but their URLs are
    # not mounted: the unfold admin is the one back office (docs/adr/0003-one-back-office.md).
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
]

OSCAR_CONTEXT_PROCESSORS = [
    "oscar.apps.search.context_processors.search_form",
    "oscar.apps.checkout.context_processors.checkout",
    "oscar.apps.communication.notifications.context_processors.notifications",
    "oscar.core.context_processors.metadata",
]

OSCAR_SHOP_NAME = "Hypex"
OSCAR_SHOP_TAGLINE = "Things worth keeping"
OSCAR_HOMEPAGE = "/"
# Back-in-stock mails leave in batches through the outbox (catalogue/alerts, ADR 0046), never from
# Oscar's own receiver inside the request that saved the stock record.
OSCAR_EAGER_ALERTS = False
OSCAR_DEFAULT_CURRENCY = env_str("SHOP_CURRENCY", "GBP")
OSCAR_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Hypex <shop@hypex.test>")
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_ALLOW_ANON_REVIEWS = False
OSCAR_MODERATE_REVIEWS = True
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"

# Haystack stays only because Oscar imports it; browsing never goes through it (Oscar 4.2 lists no
# products through its simple backend, django-oscar#4366; see catalogue/search/handler.py).
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}

# The order status pipeline: defined once in checkout/order/statuses.py (plain Python, no models).
OSCAR_INITIAL_ORDER_STATUS = order_statuses.INITIAL
OSCAR_INITIAL_LINE_STATUS = order_statuses.INITIAL
OSCAR_ORDER_STATUS_PIPELINE = order_statuses.PIPELINE
OSCAR_LINE_STATUS_PIPELINE = OSCAR_ORDER_STATUS_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = {status: status for status in OSCAR_ORDER_STATUS_PIPELINE}

# Catalogue search suggestions over /ws/search/: per connection, this many frames in the window.
SEARCH_WS_RATE_FRAMES = env_int("SEARCH_WS_RATE_FRAMES", 10)
SEARCH_WS_RATE_WINDOW_SECONDS = env_int("SEARCH_WS_RATE_WINDOW_SECONDS", 5)
# Search-box suggestions (socket and API) are kept this long per query in the catalogue's versioned
# cache (a catalogue change or a page publish makes them stale at once; catalogue/suggest.py).
SEARCH_SUGGEST_CACHE_SECONDS = env_int("SEARCH_SUGGEST_CACHE_SECONDS", 300)

# Tax (catalogue/partner/strategy.py): rates per country are set in the admin (checkout.TaxRate);
# these say whether entered prices include tax and whose rate applies when no address is known.
# Default on: shops selling to consumers in the UK and EU show and enter prices with VAT included.
SHOP_PRICES_INCLUDE_TAX = env_bool("SHOP_PRICES_INCLUDE_TAX", True)
SHOP_TAX_COUNTRY = env_str("SHOP_TAX_COUNTRY", "GB")

# Back-in-stock mails (catalogue/alerts, ADR 0046): at most this many alerts are closed and mailed per run
# of the sender (each minute, and when a stock record comes back in stock).
PRODUCT_ALERT_BATCH_SIZE = env_int("PRODUCT_ALERT_BATCH_SIZE", 200)
# Abandoned-basket reminders (checkout/basket/reminders.py, ADR 0046): at most this many per run; the
# restore link in the mail works for this many days.
BASKET_REMINDER_BATCH_SIZE = env_int("BASKET_REMINDER_BATCH_SIZE", 200)
BASKET_RESTORE_LINK_DAYS = env_int("BASKET_RESTORE_LINK_DAYS", 14)
