"""The staff audit trail (audittrail app on django-auditlog, ADR 0047).

`AUDITLOG_INCLUDE_TRACKING_MODELS` is THE list of audited models: add a model here (by label) and its
creates, updates, deletes and listed m2m changes are recorded. Exclude fields that hold secrets (the
system check `audittrail.E001` fails on a field named like a password, token, secret, key or hash) and
counters the shop itself moves (voucher and offer usage).
"""

from config.env import env_int

AUDITLOG_LOGENTRY_MODEL = "audittrail.AuditLogEntry"
AUDITLOG_CID_GETTER = "audittrail.context.current_cid"
AUDITLOG_DISABLE_REMOTE_ADDR = True  # the address comes from our context (apibase.client_ip), not a header
# auditlog's own migrations would create its (swapped-out, unused) `auditlog_logentry` table, whose foreign
# key to content types breaks PostgreSQL's TRUNCATE of the tables Django knows; our model has its own.
MIGRATION_MODULES = {"auditlog": None}

_DATES = ["date_created", "date_updated"]
_USAGE = ["num_basket_additions", "num_applications", "num_orders", "total_discount"]

AUDITLOG_INCLUDE_TRACKING_MODELS = (
    # products and variants (one model), their categories, prices and stock
    {"model": "catalogue.Product", "exclude_fields": [*_DATES, "rating"]},
    {"model": "catalogue.ProductCategory"},
    {"model": "catalogue.ProductAttributeValue"},
    {"model": "catalogue.Category", "exclude_fields": ["numchild"]},
    {"model": "partner.StockRecord", "exclude_fields": _DATES},
    # offers and vouchers
    {"model": "offer.ConditionalOffer", "exclude_fields": [*_DATES, *_USAGE]},
    {"model": "offer.Benefit"},
    {"model": "offer.Condition"},
    {"model": "offer.Range", "exclude_fields": _DATES},
    {"model": "voucher.Voucher", "exclude_fields": [*_DATES, *_USAGE], "m2m_fields": ["offers"]},
    {"model": "voucher.VoucherSet", "exclude_fields": _DATES},
    # orders: status and the rest, refunds (a "Refunded" payment event; the source's refunded amount)
    {"model": "order.Order"},
    {"model": "order.PaymentEvent"},
    {"model": "payment.Source"},
    # returns: staff's decisions per line, goods received (restocked or not), the refund; the policy
    {"model": "returns.ReturnRequest", "exclude_fields": ["updated_at"]},
    {"model": "returns.ReturnLine"},
    {"model": "returns.ReturnReason"},
    {"model": "returns.ReturnPolicy", "exclude_fields": ["updated_at"]},
    # customers and staff roles
    {
        "model": "accounts.User",
        "exclude_fields": ["password", "last_login"],
        "m2m_fields": ["groups", "user_permissions"],
    },
    {"model": "auth.Group", "m2m_fields": ["permissions"]},
)

# An object's History also shows the entries of the rows that belong to it: {model: [(model, lookup)]}.
AUDITTRAIL_HISTORY_INCLUDES = {
    "catalogue.Product": [
        ("catalogue.Product", "parent"),
        ("partner.StockRecord", "product"),
        ("partner.StockRecord", "product__parent"),
        ("catalogue.ProductCategory", "product"),
        ("catalogue.ProductAttributeValue", "product"),
        ("catalogue.ProductAttributeValue", "product__parent"),
    ],
    "order.Order": [
        ("order.PaymentEvent", "order"),
        ("payment.Source", "order"),
        ("returns.ReturnRequest", "order"),
        ("returns.ReturnLine", "request__order"),
    ],
    "voucher.VoucherSet": [("voucher.Voucher", "voucher_set")],
}

# Which requests are audited, and as what (first match wins); every other request is not audited.
AUDITTRAIL_SOURCES_BY_PATH = (
    ("/admin/", "admin"),
    ("/cms/", "cms"),
    ("/api/v1/staff/", "api"),
)
# Entries older than this many days are deleted by the daily task `audit_entries_expire`; 0 keeps all.
AUDITTRAIL_RETENTION_DAYS = env_int("AUDITTRAIL_RETENTION_DAYS", 730)
