"""Support chat: conversations between a shopper (or a guest) and support agents.

A message is stored before it is broadcast, so nothing said is lost: a client that reconnects asks for
what came after the last message id it saw.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediafiles.paths import RandomImagePath

MESSAGE_MAX_LENGTH = 2000


class Conversation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")  # answered by support, going on
        WAITING = "waiting", _("Waiting for support")  # the shopper spoke last
        CLOSED = "closed", _("Closed")

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="support_conversations"
    )
    guest_email = models.EmailField(blank=True)
    guest_session_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True)
    assigned_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_conversations",
    )
    product = models.ForeignKey("catalogue.Product", null=True, blank=True, on_delete=models.SET_NULL)
    order = models.ForeignKey("order.Order", null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)  # the support report's periods
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)
    waiting_since = models.DateTimeField(null=True, blank=True, help_text=_("When the shopper started waiting."))
    closed_at = models.DateTimeField(null=True, blank=True)
    inbox_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-last_message_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(customer__isnull=False) | ~Q(guest_email=""), name="conversation_has_customer_or_guest"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def contact_email(self) -> str | None:
        return (self.customer.email if self.customer_id else None) or self.guest_email or None


class Message(models.Model):
    class Role(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        AGENT = "agent", _("Support")
        SYSTEM = "system", _("System")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    role = models.CharField(max_length=10, choices=Role.choices)
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH, blank=True)
    # Stored as support/<YYYY>/<MM>/<random>.<decoded format>; served as a download (ADR 0026).
    attachment = models.ImageField(upload_to=RandomImagePath("support"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True, help_text=_("When the other side read it."))

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["conversation", "id"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.body[:40]}"


class Presence(models.Model):
    """Who is connected right now, by websocket channel: agents on the console, shoppers in a chat.

    Kept in the database so every ASGI worker sees the same answer; rows older than
    `SUPPORT_PRESENCE_TTL_SECONDS` without a heartbeat do not count.
    """

    channel_name = models.CharField(max_length=200, primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    role = models.CharField(max_length=10, choices=Message.Role.choices)
    conversation = models.ForeignKey(Conversation, null=True, blank=True, on_delete=models.CASCADE)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.role} on {self.channel_name}"


RATING_COMMENT_MAX_LENGTH = 1000


class ConversationRating(models.Model):
    """How the shopper rated a closed conversation (ADR 0051): one per conversation; rating again
    replaces it until the rating window (`SUPPORT_RATING_DAYS` after closing) ends."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(max_length=RATING_COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="conversation_rating_score_1_to_5")
        ]

    def __str__(self) -> str:
        return f"#{self.conversation_id}: {self.score}/5"


class ServiceLevel(models.Model):
    """The merchant's first-response target and business hours (one row, edited in the back office;
    without a row the field defaults apply). Read through `support.sla.service_level_hours`."""

    first_response_minutes = models.PositiveIntegerField(
        default=60, help_text=_("Answer a waiting shopper within this many minutes of business hours.")
    )
    monday = models.BooleanField(default=True)
    tuesday = models.BooleanField(default=True)
    wednesday = models.BooleanField(default=True)
    thursday = models.BooleanField(default=True)
    friday = models.BooleanField(default=True)
    saturday = models.BooleanField(default=False)
    sunday = models.BooleanField(default=False)
    opens_at = models.TimeField(default="09:00")
    closes_at = models.TimeField(
        default="17:00", help_text=_("At or before the opening time: open overnight, closing the next day.")
    )
    time_zone = models.CharField(max_length=64, default="Europe/London", help_text=_("The shop's time zone."))

    class Meta:
        verbose_name = _("service-level target")
        verbose_name_plural = _("service-level target")

    DAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

    def __str__(self) -> str:
        return f"First answer within {self.first_response_minutes} minutes"

    def clean(self) -> None:
        if self.time_zone not in available_timezones():
            raise ValidationError({"time_zone": _("Not a known time zone (such as Europe/London).")})


class CannedReply(models.Model):
    """A ready answer an agent inserts into a reply. The body is plain text with placeholders
    (`{customer_first_name}`, `{order_number}`, `{tracking_link}`, `{agent_first_name}`) filled from the
    conversation (support.canned_replies); an unknown placeholder renders as empty text."""

    title = models.CharField(max_length=100)
    shortcut = models.SlugField(max_length=30, unique=True, help_text=_("Typed after / in the console, e.g. thanks."))
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = _("canned replies")

    def __str__(self) -> str:
        return f"/{self.shortcut} {self.title}"


#: how many pages of a conversation's trail are kept (the oldest go first)
PAGE_TRAIL_LENGTH = 20
PAGE_URL_MAX_LENGTH = 500
PAGE_TITLE_MAX_LENGTH = 200


class PageVisit(models.Model):
    """A page of the shop the shopper opened while a conversation was open (reported by the widget's
    socket): the agent sees where the shopper is now and where they were. Only the last
    `PAGE_TRAIL_LENGTH` are kept per conversation."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="page_visits")
    url = models.CharField(max_length=PAGE_URL_MAX_LENGTH, help_text=_("A path on this shop, with its query."))
    title = models.CharField(max_length=PAGE_TITLE_MAX_LENGTH, blank=True)
    visited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["conversation", "-id"])]

    def __str__(self) -> str:
        return self.url


class BasketProposal(models.Model):
    """An agent's offer in a conversation: a product (a variant or a standalone product) with a quantity,
    or a voucher code. The shopper accepts (it goes into their basket through the basket services) or
    declines; the agent may withdraw it while it is open (ADR 0049)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="proposals")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="basket_proposals"
    )
    product = models.ForeignKey("catalogue.Product", null=True, blank=True, on_delete=models.SET_NULL)
    quantity = models.PositiveIntegerField(default=1)
    voucher_code = models.CharField(max_length=128, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When it was accepted, declined or withdrawn.")
    )
    basket = models.ForeignKey(
        "basket.Basket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The basket it went into when accepted."),
    )  # fmt: skip

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "accepted_at"])]
        constraints = [
            models.CheckConstraint(
                # never both (a product deleted later leaves neither: SET_NULL keeps the row for reports)
                condition=Q(product__isnull=True) | Q(voucher_code=""),
                name="proposal_product_or_voucher",
            )
        ]

    def __str__(self) -> str:
        what = f"{self.quantity} × {self.product}" if self.product_id else f"voucher {self.voucher_code}"
        return f"Proposal #{self.pk}: {what} ({self.status})"

    @property
    def kind(self) -> str:
        return "voucher" if self.voucher_code else "product"
