"""Oscar's OrderCreator with allocation that cannot oversell and locks taken in one order.

This module is where `get_class("order.utils", "OrderCreator")` finds it (Oscar's fork pattern); Oscar's
`OrderNumberGenerator` and `OrderDispatcher` are found in Oscar's own module.

Oscar 4.2 allocates stock with `num_allocated = num_allocated + qty` and checks nothing. Here, inside
the order's transaction and before any order row is written, every stock record the basket needs is
locked in one query, `SELECT ... FOR UPDATE ... ORDER BY id`, and its free stock re-checked against all
the basket's lines on it; only then does Oscar write the order and allocate, under locks already held.
Two placements that need the same records therefore take their locks in the same (primary-key) order,
whatever order the shopper added the products in (ADR 0010).

`place_order` is Oscar's, step for step, written so that its number of queries does not grow with the
basket's lines ("Checkout queries" in ADR 0010): order lines, their prices, options and discounts are
written with one `bulk_create` each, the stock allocated in one UPDATE under the locks already held
(`partner.services.stockrecords_allocate`), the vouchers locked once (by the placement service, which
hands them over) and no savepoint is taken inside the placement's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.order.signals import order_placed
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.apps.order.utils import OrderNumberGenerator
from oscar.core.loading import get_model

from catalogue.partner.services import stockrecords_allocate
from checkout.checkout.errors import OutOfStock

StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
LinePrice = get_model("order", "LinePrice")
LineAttribute = get_model("order", "LineAttribute")
OrderLineDiscount = get_model("order", "OrderLineDiscount")


def _tracked_lines(basket) -> list:
    return [line for line in basket.all_lines() if line.product.get_product_class().track_stock]


def stock_lock_and_check(*, basket) -> dict[int, object]:
    """Lock every stock record `basket` allocates from, in primary-key order, and check that each has
    enough free stock (`num_in_stock - num_allocated`) for the sum of the basket's lines on it.

    Call inside transaction.atomic(); the locks are held until it ends. Raises `OutOfStock` naming the
    first product short of stock. Returns the locked records by id."""
    needed = stock_needed(basket=basket)
    titles: dict[int, str] = {}
    for line in _tracked_lines(basket):
        titles.setdefault(line.stockrecord_id, line.product.get_title())
    records = {
        record.pk: record
        for record in StockRecord.objects.select_for_update().filter(pk__in=list(needed)).order_by("pk")
    }
    for record_id, quantity in needed.items():
        record = records.get(record_id)
        if record is None:
            raise OutOfStock(f"“{titles[record_id]}” is no longer sold.")
        if record.num_in_stock is None:  # not tracked: nothing to run out of
            continue
        free = record.num_in_stock - (record.num_allocated or 0)
        if free < quantity:
            raise OutOfStock(f"Only {max(free, 0)} of “{titles[record_id]}” left: someone bought the rest first.")
    return records


def stock_needed(*, basket) -> dict[int, int]:
    """{stock record id: units} the basket's stock-tracked lines take."""
    needed: dict[int, int] = defaultdict(int)
    for line in _tracked_lines(basket):
        needed[line.stockrecord_id] += line.quantity
    return dict(needed)


def stock_parent_ids(*, basket) -> set[int]:
    """The parents of the products the basket's stock-tracked lines take (their cards show the stock)."""
    return {line.product.parent_id for line in _tracked_lines(basket) if line.product.parent_id}


def _related_known(order, name: str, objects: list) -> None:
    """Let `order.<name>.all()` (and for lines `num_lines`, `num_items`, the totals) answer from
    `objects`, as `prefetch_related(name)` would, without reading them back."""
    queryset = getattr(order, name).get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    order._prefetched_objects_cache = {**getattr(order, "_prefetched_objects_cache", {}), name: queryset}


class OrderCreator(OscarOrderCreator):
    def place_order(  # noqa: PLR0913 - Oscar's signature
        self,
        basket,
        total,
        shipping_method,
        shipping_charge,
        user=None,
        shipping_address=None,
        billing_address=None,
        order_number=None,
        status=None,
        request=None,
        surcharges=None,
        locked_vouchers=None,
        number_checked=False,
        **kwargs,
    ):
        """Oscar's `place_order`, with the basket's stock records locked (pk order) and re-checked
        before anything is written, and a number of queries that does not grow with the lines.

        `locked_vouchers`: the basket's vouchers, already locked (by id) and re-checked by the caller
        in this transaction (`checkout.services.checkout_vouchers_lock`); without it they are locked
        and checked here as Oscar does (an inactive one leaves the basket, an unavailable one raises
        ValueError). `number_checked`: the caller found no order with `order_number` in this transaction
        (else it is looked up here, as Oscar does). Raises `OutOfStock` (nothing written) when another
        buyer took the units meanwhile."""
        if basket.is_empty:
            raise ValueError(_("Empty baskets cannot be submitted"))
        if not order_number:
            order_number = OrderNumberGenerator().order_number(basket)
        if not status and hasattr(settings, "OSCAR_INITIAL_ORDER_STATUS"):
            status = settings.OSCAR_INITIAL_ORDER_STATUS
        if not number_checked and Order._default_manager.filter(number=order_number).exists():
            raise ValueError(_("There is already an order with number %s") % order_number)

        # The placement service (which hands over the vouchers it locked) calls this inside its own
        # transaction and lets any error roll all of it back: no savepoint for it. Other callers (Oscar's
        # test factories, demo data) may catch an error inside a transaction of theirs: a savepoint.
        with transaction.atomic(savepoint=locked_vouchers is None):
            records = stock_lock_and_check(basket=basket)
            order = self.create_order_model(
                user,
                basket,
                shipping_address,
                shipping_method,
                shipping_charge,
                billing_address,
                total,
                order_number,
                status,
                request,
                surcharges=surcharges,
                **kwargs,
            )
            vouchers = self._vouchers_lock(basket=basket, user=user) if locked_vouchers is None else locked_vouchers
            for application in basket.offer_applications:
                application["message"] = application["offer"].apply_deferred_benefit(basket, order, application)
                if application["result"].affects_shipping:
                    shipping_discount = shipping_method.discount(basket)
                    if shipping_discount <= Decimal("0.00"):
                        continue
                    application["discount"] = shipping_discount
                self.create_discount_model(order, application)
                self.record_discount(application)
            for voucher in vouchers:
                self.record_voucher_usage(order, voucher, user)
            order_lines = self.create_lines(order, basket)
            stockrecords_allocate(
                records=records, quantities=stock_needed(basket=basket), parent_ids=stock_parent_ids(basket=basket)
            )
            # What the signal's receivers and the caller read is known without reading it back: the
            # lines just written, and no surcharges or discounts when none were written. (Not what
            # changes after placement, such as status changes: the caller may go on changing them.)
            _related_known(order, "lines", order_lines)
            if not surcharges:
                _related_known(order, "surcharges", [])
            if not basket.offer_applications:
                _related_known(order, "discounts", [])
            if user is not None and user.is_authenticated:
                order.user = user

        order_placed.send(sender=self, order=order, user=user)
        return order

    def _vouchers_lock(self, *, basket, user) -> list:
        """Oscar's voucher step, for callers that locked none: lock them by id; an inactive voucher
        leaves the basket, one the user may not use raises ValueError."""
        vouchers = []
        for voucher in basket.vouchers.select_for_update().order_by("pk"):
            if not voucher.is_active():
                basket.vouchers.remove(voucher)
                continue
            available, message = voucher.is_available_to_user(user=user)
            if not available:
                raise ValueError(message)
            vouchers.append(voucher)
        return vouchers

    def create_lines(self, order, basket) -> list:
        """The order's lines, in basket order (their ids keep the order the customer saw), with their
        prices, options and per-offer discounts: one INSERT per table, whatever the number of lines."""
        basket_lines = list(basket.all_lines())
        order_lines = Line._default_manager.bulk_create([self.line_model_build(order, line) for line in basket_lines])
        prices, attributes, line_discounts = [], [], []
        offers_discounted = any(discount.offer for line in basket_lines for discount in line.discounts)
        order_discounts = {}
        if offers_discounted:
            for order_discount in order.discounts.order_by("pk"):
                order_discounts.setdefault(order_discount.offer_id, order_discount)
        for order_line, basket_line in zip(order_lines, basket_lines, strict=True):
            for price_incl_tax, price_excl_tax, quantity in basket_line.get_price_breakdown():
                prices.append(
                    LinePrice(order=order, line=order_line, quantity=quantity, price_incl_tax=price_incl_tax,
                              price_excl_tax=price_excl_tax, tax_code=basket_line.tax_code)
                )  # fmt: skip
            for attribute in basket_line.attributes.all():
                attributes.append(
                    LineAttribute(line=order_line, option=attribute.option, type=attribute.option.code,
                                  value=attribute.value)
                )  # fmt: skip
            for discount in basket_line.discounts:
                order_discount = order_discounts.get(discount.offer.id) if discount.offer else None
                if order_discount is not None:  # as Oscar: no order discount found, no line record
                    line_discounts.append(
                        OrderLineDiscount(line=order_line, order_discount=order_discount,
                                          is_incl_tax=discount.incl_tax, amount=discount.amount)
                    )  # fmt: skip
            self.create_additional_line_models(order, order_line, basket_line)
        for model, rows in ((LinePrice, prices), (LineAttribute, attributes), (OrderLineDiscount, line_discounts)):
            if rows:
                model._default_manager.bulk_create(rows)
        return order_lines

    def line_model_build(self, order, basket_line):
        """An unsaved order line for `basket_line`: Oscar's `create_line_models` fields, with the rate
        the line's tax was computed at (`catalogue.partner.strategy.TaxedPrice`)."""
        product = basket_line.product
        stockrecord = basket_line.stockrecord
        if not stockrecord:
            raise UnableToPlaceOrder(f"Basket line #{basket_line.id} has no stockrecord")
        partner = stockrecord.partner
        line = Line(
            order=order,
            partner=partner,
            partner_name=partner.name,
            partner_sku=stockrecord.partner_sku,
            stockrecord=stockrecord,
            product=product,
            title=product.get_title(),
            upc=product.upc,
            quantity=basket_line.quantity,
            line_price_excl_tax=basket_line.line_price_excl_tax_incl_discounts,
            line_price_incl_tax=basket_line.line_price_incl_tax_incl_discounts,
            line_price_before_discounts_excl_tax=basket_line.line_price_excl_tax,
            line_price_before_discounts_incl_tax=basket_line.line_price_incl_tax,
            unit_price_incl_tax=basket_line.unit_price_incl_tax,
            unit_price_excl_tax=basket_line.unit_price_excl_tax,
            tax_code=basket_line.tax_code,
            num_allocated=basket_line.quantity,
            tax_rate=getattr(basket_line.purchase_info.price, "tax_rate", None),
        )
        if hasattr(settings, "OSCAR_INITIAL_LINE_STATUS"):
            line.status = settings.OSCAR_INITIAL_LINE_STATUS
        return line
