from django.db import IntegrityError, models, transaction
from oscar.apps.basket import managers
from oscar.apps.basket.abstract_models import AbstractBasket


def _prefetched(manager, objects: list):
    """A queryset of `manager` that holds `objects` as if prefetched: reading it asks nothing."""
    queryset = manager.get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    return queryset


class OpenBasketManager(managers.OpenBasketManager):
    def get_or_create(self, **kwargs):
        """Oscar's; a basket it creates is known to have no lines (none are looked for)."""
        basket, created = super().get_or_create(**kwargs)
        if created:
            basket._lines = _prefetched(basket.lines, [])
        return basket, created


class Basket(AbstractBasket):
    """Oscar's basket, loading its lines in a fixed number of queries (ADR 0010, "Checkout queries"):
    each line comes with its product, the product's class (and a variant's parent's), its stock record
    and partner; option values and images are prefetched. Pricing a line, checking its stock, and
    writing the order line then ask the database nothing more per line."""

    # Oscar's managers in Oscar's order (the first stays the default), with `open` creating baskets known empty.
    objects = models.Manager()
    open = OpenBasketManager()
    saved = managers.SavedBasketManager()

    class Meta(AbstractBasket.Meta):
        app_label = "basket"

    def all_lines(self):
        if self.id is None:
            return self.lines.model.objects.none()
        if self._lines is None:
            self._lines = (
                self.lines.select_related(
                    "product__product_class", "product__parent__product_class", "stockrecord__partner"
                )
                .prefetch_related("attributes__option", "product__images")
                .order_by(self._meta.pk.name)
            )
        return self._lines

    @property
    def num_lines(self):
        """Loads the lines (they are needed next: pricing, offers, the page) instead of counting them
        in a query of their own; `is_empty` asks this."""
        return len(self.all_lines())

    def _loaded_lines(self) -> list | None:
        """The lines if `all_lines()` has loaded them, else None (nothing is loaded here)."""
        return self._lines._result_cache if self._lines is not None else None

    def line_quantity(self, product, stockrecord, options=None):
        """Oscar's, read from the loaded lines when they are (no query)."""
        lines = self._loaded_lines()
        if lines is None:
            return super().line_quantity(product, stockrecord, options)
        reference = self._create_line_reference(product, stockrecord, options)
        return next((line.quantity for line in lines if line.line_reference == reference), 0)

    def product_quantity(self, product):
        """Oscar's, summed from the loaded lines when they are (no query)."""
        lines = self._loaded_lines()
        if lines is None:
            return super().product_quantity(product)
        return sum(line.quantity for line in lines if line.product_id == product.id)

    def add_product(self, product, quantity=1, options=None):
        """Oscar's `add_product` (same checks, same line reference, same result), that keeps the loaded
        lines up to date instead of dropping them: the basket is shown right after an addition, and
        would otherwise load every line again. Without loaded lines it is Oscar's."""
        if not self.id:  # a new basket: saved, and known to have no lines
            self.save()
            self._lines = _prefetched(self.lines, [])
        lines = self._loaded_lines()
        if lines is None:
            return super().add_product(product, quantity=quantity, options=options)
        options = options or []
        price_currency = self.currency
        stock_info = self.get_stock_info(product, options)
        if not stock_info.price.exists:
            raise ValueError(f"Strategy hasn't found a price for product {product}")
        if price_currency and stock_info.price.currency != price_currency:
            raise ValueError(
                "Basket lines must all have the same currency. Proposed line has currency "
                f"{stock_info.price.currency}, while basket has currency {price_currency}"
            )
        if stock_info.stockrecord is None:
            raise ValueError(f"Basket lines must all have stock records. Strategy hasn't found any for {product}")
        reference = self._create_line_reference(product, stock_info.stockrecord, options)
        line = next((line for line in lines if line.line_reference == reference), None)
        created = line is None
        if created:
            defaults = {
                "quantity": max(0, quantity),
                "price_excl_tax": stock_info.price.excl_tax,
                "price_currency": stock_info.price.currency,
                "tax_code": stock_info.price.tax_code,
            }
            if stock_info.price.is_tax_known:
                defaults["price_incl_tax"] = stock_info.price.incl_tax
            try:  # the loaded lines say it is new; a concurrent request may have written it meanwhile
                with transaction.atomic():
                    line = self.lines.create(
                        line_reference=reference, product=product, stockrecord=stock_info.stockrecord, **defaults
                    )
            except IntegrityError:
                line, created = self.lines.get(line_reference=reference), False
        if created:
            attributes = [line.attributes.create(option=option["option"], value=option["value"]) for option in options]
            line._prefetched_objects_cache = {"attributes": _prefetched(line.attributes, attributes)}
            lines.append(line)
        else:
            line.quantity = max(0, line.quantity + quantity)
            line.save()
            if line not in lines:  # written by a concurrent request after the lines were loaded
                self._lines = None
        self.offers_clear()
        return line, created

    add = add_product

    def offers_clear(self) -> None:
        """Forget the offers applied, keeping the lines already loaded (Oscar's
        `reset_offer_applications` also drops them, so the next look at the lines loads them again).
        Only for lines no one changed since they were loaded: every write on lines resets."""
        lines = self._lines
        self.reset_offer_applications()
        if lines is not None and lines._result_cache is not None:
            for line in lines:
                line.clear_discount()
            self._lines = lines


from oscar.apps.basket.models import *  # noqa: E402, F403


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
