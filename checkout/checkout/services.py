"""Placing an order from a basket: the one path for the checkout pages and the API (and demo data).

`checkout_place_order` is one transaction that takes its row locks in one fixed order (ADR 0010):
the basket (a second submission of the same basket waits, then finds its order and gets it back), the
basket's vouchers by id (re-checked), then - in `order.utils.OrderCreator` - every stock record the
basket needs by id (re-checked), before the order is written and the stock allocated. New orders start
in `statuses.INITIAL` ("Pending payment"). Paying is the payment app's: the caller starts it after this
returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from apibase.idempotency import IDEMPOTENCY_KEY_TTL
from checkout.basket.services import basket_offers_apply, basket_tax_destination_set
from checkout.basket.tokens import basket_from_token
from checkout.metrics import checkout_conflict_record, errors_counted, order_placed_record
from checkout.order.events import order_event_publish
from checkout.shipping.methods import method_tax_rate
from eventhooks.events import ORDER_CREATED

from .errors import BasketEmpty, CheckoutError, OutOfStock, VoucherUnavailable

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Voucher = get_model("voucher", "Voucher")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")

ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line2", "line3", "line4", "state", "postcode", "country",
                  "phone_number")  # fmt: skip


@dataclass(frozen=True)
class PlacedOrder:
    order: object
    created: bool  # False: the basket had been submitted already and this is its order


def _address_build(model, data: dict):
    address = model(**{field: value for field, value in data.items() if field in ADDRESS_FIELDS})
    # A Country the input serializer already looked up is not looked up again by full_clean.
    exclude = ["search_text", "country"] if isinstance(data.get("country"), Country) else ["search_text"]
    address.full_clean(exclude=exclude)
    return address


def checkout_shipping_address_build(*, user, data: dict | None, address_id: int | None):
    """An unsaved ShippingAddress from the posted fields or from one of `user`'s saved addresses.
    Raises ValidationError per field (postcode checked for the country; we must ship there)."""
    if address_id is not None:
        saved = UserAddress.objects.filter(pk=address_id, user=user).first() if user.is_authenticated else None
        if saved is None:
            raise ValidationError({"address_id": ["No such address in your address book."]})
        address = ShippingAddress()
        saved.populate_alternative_model(address)
        address.phone_number = saved.phone_number
    else:
        address = _address_build(ShippingAddress, data or {})
    if not address.country.is_shipping_country:
        raise ValidationError({"shipping_address": ["We do not ship to this country."]})
    return address


def checkout_billing_address_build(*, data: dict | None):
    return _address_build(BillingAddress, data) if data else None


def checkout_vouchers_lock(*, basket, user) -> list:
    """Lock the basket's vouchers (in id order: no deadlocks) and re-check them; call in a transaction.
    The vouchers are the basket's as loaded (and prefetched) with it, the ones whose offers were applied
    to the prices being ordered: no query when there are none, one when there are. Returns them, for
    `OrderCreator.place_order(locked_vouchers=...)`."""
    voucher_ids = [voucher.pk for voucher in basket.vouchers.all()]
    if not voucher_ids:
        return []
    vouchers = list(Voucher.objects.select_for_update().filter(pk__in=voucher_ids).order_by("pk"))
    for voucher in vouchers:
        available, message = voucher.is_available_to_user(user=user)
        if not voucher.is_active() or not available:
            raise VoucherUnavailable(f"The voucher {voucher.code} can no longer be used: {message or 'expired'}.")
    return vouchers


def _lines_check(*, basket) -> None:
    for line in basket.all_lines():
        permitted, reason = basket.strategy.fetch_for_line(line).availability.is_purchase_permitted(line.quantity)
        if not permitted:
            raise OutOfStock(f"“{line.product.get_title()}”: {reason}")


@errors_counted(CheckoutError, checkout_conflict_record)  # 409s by code (ADR 0033)
def checkout_place_order(
    *,
    basket,
    user,
    shipping_address,
    billing_address,
    shipping_method_code: str,
    guest_email: str = "",
    request=None,
    order_number: str | None = None,
    surcharges=None,
) -> PlacedOrder:
    """Turn `basket` (strategy set; open, or frozen by the checkout pages) into an order in
    "Pending payment" with stock allocated. `shipping_address`/`billing_address` are unsaved
    (`checkout_shipping_address_build`); they are saved with the order.

    The basket is priced for the shipping address's country first (tax follows the destination,
    ADR 0012), shipping is taxed at the same rate, and the order stores the rates used
    (`Line.tax_rate`, `Order.shipping_tax_rate`).

    Raises BasketEmpty, ValidationError (shipping method), OutOfStock (409, also when another buyer
    took the last units while we waited for the lock) or VoucherUnavailable (409). If the basket was
    ordered meanwhile (a double submit), returns its order with `created=False`.
    """
    if not basket.pk or basket.is_empty:
        raise BasketEmpty()
    if shipping_address is not None:
        basket_tax_destination_set(basket=basket, country_code=shipping_address.country_id, user=user, request=request)
    basket_offers_apply(basket=basket, user=user, request=request)
    method = Repository().method_by_code(basket=basket, shipping_addr=shipping_address, code=shipping_method_code)
    if method is None:
        raise ValidationError({"shipping_method": ["This shipping method is not available for this address."]})
    _lines_check(basket=basket)
    shipping_charge = method.calculate(basket)
    total = OrderTotalCalculator(request).calculate(basket, shipping_charge, surcharges=surcharges)

    order_number = order_number or OrderNumberGenerator().order_number(basket)
    with transaction.atomic():
        locked = Basket.objects.select_for_update().get(pk=basket.pk)
        # One query for both: this basket's order (a double submit), or another with the same number.
        existing = Order.objects.filter(Q(basket_id=basket.pk) | Q(number=order_number)).first()
        if existing is not None and existing.basket_id == basket.pk:
            return PlacedOrder(order=existing, created=False)
        if existing is not None:
            raise ValueError(f"There is already an order with number {order_number}")
        if locked.status not in (Basket.OPEN, Basket.FROZEN):
            raise BasketEmpty("This basket can no longer be ordered.")
        vouchers = checkout_vouchers_lock(basket=basket, user=user)
        if shipping_address is not None:  # None: the pages' basket needs no shipping
            shipping_address.save()
        if billing_address is not None:
            billing_address.save()
        order = OrderCreator().place_order(
            basket=basket,
            total=total,
            shipping_method=method,
            shipping_charge=shipping_charge,
            user=user,
            shipping_address=shipping_address,
            billing_address=billing_address,
            order_number=order_number,
            number_checked=True,
            request=request,
            surcharges=surcharges,
            guest_email=guest_email if not user.is_authenticated else "",
            shipping_tax_rate=method_tax_rate(method),
            locked_vouchers=vouchers,
        )
        basket.submit()
        order_event_publish(order=order, event=ORDER_CREATED)  # the merchant's apps (ADR 0048)
        transaction.on_commit(lambda: order_placed_record(order))
    return PlacedOrder(order=order, created=True)


def checkout_previous_order(*, user, basket_token: str | None):
    """The order of this client's most recent submitted basket (a retried checkout after the basket
    was already turned into an order), or None. Signed in: the account's latest basket, if it was
    submitted in the last 24 hours; anonymous: the basket its token names."""
    if user.is_authenticated:
        basket = Basket.objects.filter(owner=user, status=Basket.SUBMITTED).order_by("-date_submitted").first()
        if basket is None or basket.date_submitted < timezone.now() - IDEMPOTENCY_KEY_TTL:
            return None
        newer_open = Basket.objects.filter(owner=user, status=Basket.OPEN, pk__gt=basket.pk, lines__isnull=False)
        if newer_open.exists():
            return None
    else:
        basket = basket_from_token(basket_token, statuses=(Basket.SUBMITTED,)) if basket_token else None
        if basket is None:
            return None
    return Order.objects.filter(basket_id=basket.pk).first()
