from django.db import models
from oscar.apps.basket.models import *  # noqa: F403


class BasketContact(models.Model):
    """The email a guest gave at the checkout's first step, remembered against their basket so an
    abandoned basket can be recalled to them (`reminders.py`, ADR 0046)."""

    basket = models.OneToOneField("basket.Basket", on_delete=models.CASCADE, primary_key=True, related_name="contact")
    email = models.EmailField()
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "basket"

    def __str__(self) -> str:
        return f"basket {self.basket_id}"


class BasketReminder(models.Model):
    """The one abandoned-basket reminder a basket ever gets, and what became of its restore link:
    `restored_into` is the basket the link filled (on any device); ordered, it counts as recovered."""

    basket = models.OneToOneField("basket.Basket", on_delete=models.CASCADE, related_name="reminder")
    email = models.EmailField()
    date_sent = models.DateTimeField(auto_now_add=True, db_index=True)
    date_restored = models.DateTimeField(null=True, blank=True)
    restored_into = models.ForeignKey(
        "basket.Basket", on_delete=models.SET_NULL, null=True, blank=True, related_name="restored_by_reminders"
    )

    class Meta:
        app_label = "basket"

    def __str__(self) -> str:
        return f"reminder for basket {self.basket_id}"


class BasketReminderSettings(models.Model):
    """The merchant's abandoned-basket reminder setting (one row, edited in the back office)."""

    delay_hours = models.PositiveIntegerField(
        null=True,
        blank=True,
        default=4,
        help_text="Remind a shopper this many hours after they last changed their basket. 0 or empty: no reminders.",
    )

    class Meta:
        app_label = "basket"
        verbose_name = "abandoned-basket reminder setting"
        verbose_name_plural = "abandoned-basket reminder setting"

    def __str__(self) -> str:
        return f"Remind after {self.delay_hours} hours" if self.delay_hours else "Reminders off"
