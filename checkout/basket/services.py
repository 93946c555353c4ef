"""Writes on baskets: lines, vouchers, merging. Every quantity is checked against stock and the
basket's quantity limit here, so pages and the API enforce the same rules.

Callers give a basket with its strategy set (`basket.strategy`); offers are re-applied by the caller
that renders the basket (`basket_offers_apply`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from checkout.metrics import errors_counted, voucher_refusal_record

from . import errors
from .tokens import request_anonymous_basket

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
Option = get_model("catalogue", "Option")
Product = get_model("catalogue", "Product")
Voucher = get_model("voucher", "Voucher")
Applicator = get_class("offer.applicator", "Applicator")
Selector = get_class("partner.strategy", "Selector")


def _ensure_editable(basket) -> None:
    if basket.pk and not basket.can_be_edited:
        raise errors.BasketNotEditable()


def _check_quantity(*, basket, product, stock_info, new_total: int, added: int) -> None:
    """Raise unless `new_total` of `product` may sit in `basket` (`added` more items than now)."""
    availability = stock_info.availability
    permitted, reason = availability.is_purchase_permitted(new_total)
    if not permitted:
        num_available = getattr(availability, "num_available", None)
        if num_available is not None and availability.is_available_to_buy:
            raise errors.InsufficientStock(f"Only {num_available} of “{product.get_title()}” can be bought.")
        raise errors.ProductNotAvailable(str(reason) or None)
    threshold = settings.OSCAR_MAX_BASKET_QUANTITY_THRESHOLD
    if threshold and added > 0 and basket.num_items + added > threshold:
        raise errors.QuantityLimitExceeded(f"A basket holds at most {threshold} items.")


def _options_resolve(*, product, options: dict[str, str] | None) -> list[dict]:
    """Oscar's option list ([{"option": Option, "value": str}]) from {code: value}; checks required ones."""
    options = options or {}
    allowed = {option.code: option for option in product.options}
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise errors.BasketError(f"Unknown option for this product: {', '.join(unknown)}.", code="invalid_option")
    missing = [option.name for code, option in allowed.items() if option.required and not options.get(code)]
    if missing:
        raise errors.BasketError(f"Please give: {', '.join(missing)}.", code="option_required")
    return [{"option": allowed[code], "value": str(value)} for code, value in options.items() if value != ""]


def basket_line_add(*, basket, product, quantity: int, options: dict[str, str] | None = None):
    """Add `quantity` of `product` (adding to an existing identical line). Returns the line."""
    _ensure_editable(basket)
    if quantity < 1:
        raise errors.BasketError("Quantity must be at least 1.", code="invalid_quantity")
    if product.is_parent or not product.is_public:
        raise errors.ProductNotAvailable("Choose a variant of this product." if product.is_parent else None)
    option_list = _options_resolve(product=product, options=options)
    stock_info = basket.get_stock_info(product, option_list)
    if not stock_info.price.exists or stock_info.stockrecord is None:
        raise errors.ProductNotAvailable()
    if basket.currency and stock_info.price.currency != basket.currency:
        raise errors.ProductNotAvailable("This product is sold in another currency than your basket.")
    in_basket = basket.line_quantity(product, stock_info.stockrecord, option_list) if basket.pk else 0
    _check_quantity(
        basket=basket, product=product, stock_info=stock_info, new_total=in_basket + quantity, added=quantity
    )
    line, _ = basket.add_product(product, quantity=quantity, options=option_list)
    return line


def basket_line_update(*, basket, line, quantity: int):
    """Set a line's quantity (0 deletes it). Returns the line, or None when deleted."""
    _ensure_editable(basket)
    if quantity < 0:
        raise errors.BasketError("Quantity cannot be negative.", code="invalid_quantity")
    if quantity == 0:
        basket_line_delete(basket=basket, line=line)
        return None
    stock_info = basket.strategy.fetch_for_line(line)
    others = basket.basket_quantity(line) - line.quantity  # other lines of the same stock record
    _check_quantity(
        basket=basket,
        product=line.product,
        stock_info=stock_info,
        new_total=others + quantity,
        added=quantity - line.quantity,
    )
    line.quantity = quantity
    line.save(update_fields=["quantity", "date_updated"])  # the reminder's delay runs from the last change
    basket.reset_offer_applications()
    return line


def basket_line_delete(*, basket, line) -> None:
    _ensure_editable(basket)
    line.delete()
    basket.reset_offer_applications()


def basket_offers_apply(*, basket, user, request=None) -> None:
    """Apply Oscar's offers (site offers and the basket's vouchers) to the basket in memory, once
    per request that renders or orders the basket: the lines already loaded are kept (every write
    on lines reloads them), so applying again costs only the offers' own queries."""
    basket.offers_clear()
    if not basket.is_empty:
        Applicator().apply(basket, user, request)


def basket_tax_destination_set(*, basket, country_code: str | None, user=None, request=None) -> bool:
    """Price `basket` for delivery to `country_code` (ISO code): tax follows the shipping address
    (ADR 0012). When the basket's strategy taxes for another country, the basket gets a strategy for
    this one and loses its cached lines and offer applications; the caller re-applies offers
    (`basket_offers_apply`). Returns whether the basket was re-priced."""
    if not country_code:
        return False
    priced = True
    if basket.has_strategy:
        strategy = basket.strategy
        # A strategy that has not looked its tax country up yet has priced nothing: the destination's
        # strategy takes over without asking for the customer's default address, and the lines
        # already loaded (unpriced) are kept.
        known = strategy.tax_country_known if hasattr(strategy, "tax_country_known") else strategy.tax_country
        if known == country_code:
            return False
        priced = known is not None
    basket.strategy = Selector().strategy(request=request, user=user, country=country_code)
    if priced:
        basket.reset_offer_applications()
    else:
        basket.offers_clear()
    return True


def _voucher_why_not(*, voucher, basket) -> errors.VoucherError:
    """Why a voucher that is active and available gives this basket no discount."""
    lines = list(basket.all_lines())
    for offer in voucher.offers.select_related("condition__range"):
        product_range = offer.condition.range
        if product_range and any(product_range.contains_product(line.product) for line in lines):
            message = offer.get_upsell_message(basket) if offer.is_condition_partially_satisfied(basket) else None
            description = offer.condition.proxy().name
            return errors.VoucherMinimumNotMet(
                f"{message or 'Your basket does not meet this voucher’s minimum yet'} ({description})."
            )
    return errors.VoucherNotForTheseProducts()


@errors_counted(errors.VoucherError, voucher_refusal_record)
def basket_voucher_add(*, basket, code: str, user, request=None):
    """Add the voucher with `code` if it gives this basket a discount; otherwise raise why not:
    not found, already applied, not started, expired, used up, sign-in required, minimum not met,
    not for these products (each refusal is counted by reason). Returns the voucher."""
    _ensure_editable(basket)
    code = code.strip().upper()
    voucher = Voucher.objects.filter(code=code).first()
    if voucher is None:
        raise errors.VoucherNotFound()
    if basket.pk and basket.contains_voucher(code):
        raise errors.VoucherAlreadyApplied()
    now = timezone.now()
    if voucher.start_datetime > now:
        raise errors.VoucherNotStarted(f"This voucher can be used from {voucher.start_datetime:%d %b %Y %H:%M} UTC.")
    if voucher.end_datetime < now:
        raise errors.VoucherExpired()
    available, _ = voucher.is_available_to_user(user=user)
    if not available:
        if voucher.usage == Voucher.ONCE_PER_CUSTOMER and not user.is_authenticated:
            raise errors.VoucherSignInRequired()
        raise errors.VoucherUsedUp()
    if not any(offer.is_available(user=user) for offer in voucher.offers.all()):
        raise errors.VoucherUsedUp("This voucher’s offer has been used up.")
    if basket.is_empty:
        raise errors.VoucherNotForTheseProducts("Add products to your basket before using a voucher.")

    with transaction.atomic():
        basket.vouchers.add(voucher)
        basket_offers_apply(basket=basket, user=user, request=request)
        applied = any(discount["voucher"] == voucher for discount in basket.offer_applications)
        if not applied:
            basket.vouchers.remove(voucher)
            reason = _voucher_why_not(voucher=voucher, basket=basket)
            basket_offers_apply(basket=basket, user=user, request=request)
            raise reason
        Voucher.objects.filter(pk=voucher.pk).update(num_basket_additions=F("num_basket_additions") + 1)
    return voucher


def basket_voucher_remove(*, basket, code: str) -> None:
    _ensure_editable(basket)
    voucher = basket.vouchers.filter(code=code.strip().upper()).first() if basket.pk else None
    if voucher is None:
        raise errors.VoucherNotFound("This voucher is not in your basket.")
    basket.vouchers.remove(voucher)
    basket.reset_offer_applications()


def basket_merge(*, target, source) -> None:
    """Move `source`'s lines and vouchers into `target` (quantities of the same line added together),
    then cap every line of `target` at what can be bought: stock and the basket's quantity limit.
    Lines of which nothing can be bought any more are removed."""
    with transaction.atomic():
        target.merge(source, add_quantities=True)
        strategy = target.strategy if target.has_strategy else Selector().strategy()
        threshold = settings.OSCAR_MAX_BASKET_QUANTITY_THRESHOLD
        total = 0
        for line in target.lines.select_related("product", "stockrecord").order_by("pk"):
            quantity = line.quantity
            availability = strategy.fetch_for_line(line).availability
            num_available = getattr(availability, "num_available", None)
            if not availability.is_available_to_buy:
                quantity = 0
            elif num_available is not None:
                quantity = min(quantity, num_available)
            if threshold:
                quantity = min(quantity, max(threshold - total, 0))
            if quantity <= 0:
                line.delete()
                continue
            total += quantity
            if quantity != line.quantity:
                line.quantity = quantity
                line.save(update_fields=["quantity"])
        target._lines = None
        target.reset_offer_applications()


def basket_refill_from_order(*, basket, order) -> list[str]:
    """Put an (unpaid, cancelled) order's lines back into `basket`, each as far as stock allows now.
    Returns the titles of the lines that could not be added at all."""
    left_out = []
    for line in order.lines.select_related("product").order_by("pk"):
        options = {attribute.option.code: attribute.value for attribute in line.attributes.exclude(option=None)}
        if line.product is None:
            left_out.append(line.title)
            continue
        try:
            basket_line_add(basket=basket, product=line.product, quantity=line.quantity, options=options)
        except (errors.BasketError, errors.BasketNotEditable):
            left_out.append(line.title)
    return left_out


def basket_merge_on_sign_in(*, request, user) -> int:
    """Merge the anonymous basket this client carries (Oscar's basket cookie, or `X-Basket-Token`) into
    the user's open basket; returns how many items moved. Pages and the API both come here, through the
    `user_logged_in` receiver; Oscar's middleware then finds no anonymous basket left to merge."""
    cookie_basket = request_anonymous_basket(request)
    if cookie_basket is None:
        return 0
    moved = cookie_basket.num_items
    user_basket, _ = Basket.open.get_or_create(owner=user)
    if user_basket.pk == cookie_basket.pk:
        return 0
    basket_merge(target=user_basket, source=cookie_basket)
    if hasattr(request, "cookies_to_delete"):
        request.cookies_to_delete.append(settings.OSCAR_BASKET_COOKIE_OPEN)
    return moved
