"""The unfold sidebar, grouped by job rather than by Django app."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dataexchange.navigation import sidebar_section as data_exchange_section

from .roles import TASK_MONITOR_PERMISSION

AUDIT_LOG = "admin:audittrail_auditlogentry_changelist"


def _item(title, icon, url_name: str, permission: str | None = None) -> dict:
    item = {"title": title, "icon": icon, "link": reverse(url_name)}
    if permission:
        item["permission"] = lambda request, perm=permission: request.user.has_perm(perm)
    return item


def sidebar(request) -> list[dict]:
    return [
        {
            "title": _("Catalogue"),
            "collapsible": True,
            "items": [
                _item(_("Products"), "inventory_2", "admin:catalogue_product_changelist", "catalogue.view_product"),
                _item(
                    _("Categories"), "account_tree", "admin:catalogue_category_changelist", "catalogue.view_category"
                ),
                _item(
                    _("Product types"),
                    "category",
                    "admin:catalogue_productclass_changelist",
                    "catalogue.view_productclass",
                ),
                _item(
                    _("Stock and prices"),
                    "warehouse",
                    "admin:partner_stockrecord_changelist",
                    "partner.view_stockrecord",
                ),
                _item(_("Partners"), "handshake", "admin:partner_partner_changelist", "partner.view_partner"),
                _item(_("Reviews"), "reviews", "admin:reviews_productreview_changelist", "reviews.view_productreview"),
                _item(
                    _("Bulk changes"), "undo", "admin:backoffice_bulkchange_changelist", "backoffice.view_bulkchange"
                ),
            ],
        },
        {
            "title": _("Sales"),
            "collapsible": True,
            "items": [
                _item(_("Orders"), "receipt_long", "admin:order_order_changelist", "order.view_order"),
                _item(
                    _("Returns"),
                    "assignment_return",
                    "admin:returns_returnrequest_changelist",
                    "returns.view_returnrequest",
                ),
                _item(
                    _("Return reasons"), "rule", "admin:returns_returnreason_changelist", "returns.view_returnreason"
                ),
                _item(
                    _("Return policy"), "policy", "admin:returns_returnpolicy_changelist", "returns.view_returnpolicy"
                ),
                _item(_("Offers"), "sell", "admin:offer_conditionaloffer_changelist", "offer.view_conditionaloffer"),
                _item(_("Vouchers"), "confirmation_number", "admin:voucher_voucher_changelist", "voucher.view_voucher"),
                _item(_("Voucher sets"), "style", "admin:voucher_voucherset_changelist", "voucher.view_voucherset"),
                _item(
                    _("Shipping (by weight)"),
                    "local_shipping",
                    "admin:shipping_weightbased_changelist",
                    "shipping.view_weightbased",
                ),
            ],
        },
        {
            "title": _("Customers"),
            "collapsible": True,
            "items": [
                _item(_("Users"), "person", "admin:accounts_user_changelist", "accounts.view_user"),
                _item(_("Baskets"), "shopping_basket", "admin:basket_basket_changelist", "basket.view_basket"),
                _item(
                    _("Basket reminders"),
                    "mark_email_unread",
                    "admin:basket_basketreminder_changelist",
                    "basket.view_basketreminder",
                ),  # fmt: skip
                _item(
                    _("Reminder delay"),
                    "schedule",
                    "admin:basket_basketremindersettings_changelist",
                    "basket.change_basketremindersettings",
                ),  # fmt: skip
                _item(
                    _("Back-in-stock alerts"),
                    "notifications",
                    "admin:customer_productalert_changelist",
                    "customer.view_productalert",
                ),  # fmt: skip
                _item(
                    _("Marketing opt-outs"),
                    "unsubscribe",
                    "admin:accounts_marketingoptout_changelist",
                    "accounts.view_marketingoptout",
                ),  # fmt: skip
            ],
        },
        {
            "title": _("Support"),
            "collapsible": True,
            "items": [
                _item(_("Console"), "support_agent", "support-console", "support.view_conversation"),
                _item(
                    _("Conversations"), "forum", "admin:support_conversation_changelist", "support.view_conversation"
                ),
                _item(_("Report"), "monitoring", "support-report", "support.view_conversation"),
                _item(
                    _("Ratings"),
                    "star",
                    "admin:support_conversationrating_changelist",
                    "support.view_conversationrating",
                ),
                _item(
                    _("Service level"), "timer", "admin:support_servicelevel_changelist", "support.view_servicelevel"
                ),
            ],
        },
        {
            "title": _("Content"),
            "collapsible": True,
            "items": [
                {
                    "title": _("CMS (Wagtail)"),
                    "icon": "web",
                    "link": "/cms/",
                    "permission": lambda request: request.user.has_perm("wagtailadmin.access_admin"),
                }
            ],
        },
        data_exchange_section(),
        {
            "title": _("System"),
            "collapsible": True,
            "items": [
                _item(_("Staff groups"), "group", "admin:auth_group_changelist", "auth.view_group"),
                _item(_("Task monitor"), "pending_actions", "backoffice-tasks", TASK_MONITOR_PERMISSION),
                _item(
                    _("Webhooks"),
                    "webhook",
                    "admin:eventhooks_webhookendpoint_changelist",
                    "eventhooks.view_webhookendpoint",
                ),
                _item(
                    _("Webhook deliveries"),
                    "send",
                    "admin:eventhooks_webhookdelivery_changelist",
                    "eventhooks.view_webhookdelivery",
                ),
                _item(_("Audit log"), "history", AUDIT_LOG, "audittrail.view_auditlogentry"),
                {
                    "title": _("Outbox"),
                    "icon": "outbox",
                    "link": reverse("admin:sideeffects_outboxmessage_changelist"),
                    "permission": lambda request: request.user.is_superuser,
                },
                {
                    "title": _("Readiness"),
                    "icon": "monitor_heart",
                    "link": reverse("readyz"),
                    "permission": lambda request: request.user.is_superuser,
                },
            ],
        },
    ]
