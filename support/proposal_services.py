"""Writes on basket proposals (ADR 0049): an agent proposes a product or a voucher in a conversation;
the conversation's shopper accepts it into their basket (through the basket services, so stock,
quantity and voucher rules are exactly the basket's) or declines it; the agent may withdraw it.

Every change is stored first and broadcast after commit as a `proposal` frame to the conversation,
and a change to a basket the agent watches goes to the console as a `basket` frame.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from checkout.basket import errors as basket_errors
from checkout.basket.selectors import basket_for_request
from checkout.basket.services import basket_line_add, basket_voucher_add

from . import events
from .errors import (  # noqa: F401 - ProposalNotAllowed is raised by the API too
    ConversationClosed,
    ProposalNeedsBrowser,
    ProposalNotAllowed,
    ProposalNotOpen,
    ProposalNotYours,
)
from .models import BasketProposal, Conversation
from .proposal_selectors import conversations_watching_basket, proposal_view
from .selectors import basket_lines, user_is_agent

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
Voucher = get_model("voucher", "Voucher")
Selector = get_class("partner.strategy", "Selector")

PROPOSE_PERMISSION = "support.add_basketproposal"


def user_may_propose(user) -> bool:
    """Support agents (the Support agent role, or a superuser) may propose."""
    return user_is_agent(user) and user.has_perm(PROPOSE_PERMISSION)


def _broadcast(proposal: BasketProposal) -> None:
    event = {"type": "chat.proposal", "proposal": proposal_view(proposal)}
    transaction.on_commit(lambda: events.broadcast(events.conversation_group(proposal.conversation_id), event))


def _product_check(*, product_id: int, quantity: int):
    """The product the agent means, if a shopper could buy `quantity` of it now (checked again, by the
    basket services, when the shopper accepts)."""
    product = Product.objects.filter(pk=product_id).first()
    if product is None or not product.is_public:
        raise basket_errors.ProductNotAvailable("No such product in the shop.")
    if product.is_parent:
        raise basket_errors.ProductNotAvailable("Choose a variant of this product.")
    info = Selector().strategy().fetch_for_product(product)
    if not info.price.exists or info.stockrecord is None:
        raise basket_errors.ProductNotAvailable()
    permitted, reason = info.availability.is_purchase_permitted(quantity)
    if not permitted:
        num_available = getattr(info.availability, "num_available", None)
        if num_available and info.availability.is_available_to_buy:
            raise basket_errors.InsufficientStock(f"Only {num_available} of “{product.get_title()}” can be bought.")
        raise basket_errors.ProductNotAvailable(str(reason) or f"“{product.get_title()}” is out of stock.")
    return product


def _voucher_check(*, code: str) -> str:
    code = code.strip().upper()
    voucher = Voucher.objects.filter(code=code).first()
    if voucher is None:
        raise basket_errors.VoucherNotFound()
    now = timezone.now()
    if voucher.end_datetime < now:
        raise basket_errors.VoucherExpired()
    return code


def proposal_propose(
    *, conversation: Conversation, agent, product_id: int | None = None, quantity: int = 1, voucher_code: str = ""
) -> BasketProposal:
    """Propose a product (a variant or a standalone product, `quantity` of it) or a voucher code to the
    conversation's shopper. Only agents may; the conversation must be open."""
    if not user_may_propose(agent):
        raise ProposalNotAllowed()
    if bool(product_id) == bool(voucher_code):
        raise basket_errors.BasketError("Propose either a product or a voucher code.", code="invalid_proposal")
    product = _product_check(product_id=product_id, quantity=quantity) if product_id else None
    code = _voucher_check(code=voucher_code) if voucher_code else ""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if conversation.status == Conversation.Status.CLOSED:
            raise ConversationClosed()
        proposal = BasketProposal.objects.create(
            conversation=conversation,
            proposed_by=agent,
            product=product,
            quantity=quantity if product else 1,
            voucher_code=code,
        )
        _broadcast(proposal)
    return proposal


def proposal_shopper_check(*, proposal: BasketProposal, user, session_key: str | None) -> None:
    """Only the conversation's own shopper answers a proposal: the signed-in customer, or the guest
    whose session started it. Anyone else (another shopper, an agent) gets ProposalNotYours."""
    conversation = proposal.conversation
    if conversation.customer_id:
        allowed = bool(user and user.is_authenticated and user.pk == conversation.customer_id)
    else:
        allowed = bool(session_key) and session_key == conversation.guest_session_key
    if not allowed:
        raise ProposalNotYours()


def _locked_open(*, proposal: BasketProposal) -> BasketProposal:
    proposal = BasketProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != BasketProposal.Status.PROPOSED:
        raise ProposalNotOpen()
    return proposal


def proposal_accept(*, proposal: BasketProposal, basket, user, session_key: str | None, request=None) -> BasketProposal:
    """The conversation's shopper takes the proposal into `basket` (their open basket, strategy set):
    `basket_line_add` or `basket_voucher_add` decide, and their refusals (stock, voucher rules) are
    raised unchanged; nothing is stored then."""
    with transaction.atomic():
        proposal = _locked_open(proposal=proposal)
        conversation = proposal.conversation
        proposal_shopper_check(proposal=proposal, user=user, session_key=session_key)
        if conversation.status == Conversation.Status.CLOSED:
            raise ConversationClosed()
        if proposal.voucher_code:
            basket_voucher_add(basket=basket, code=proposal.voucher_code, user=user, request=request)
        else:
            if proposal.product is None:
                raise basket_errors.ProductNotAvailable("This product is no longer sold.")
            basket_line_add(basket=basket, product=proposal.product, quantity=proposal.quantity)
        now = timezone.now()
        proposal.status, proposal.accepted_at, proposal.decided_at, proposal.basket = (
            BasketProposal.Status.ACCEPTED, now, now, basket
        )  # fmt: skip
        proposal.save(update_fields=["status", "accepted_at", "decided_at", "basket"])
        _broadcast(proposal)
        # a guest's basket is known to the console only from now on: show it even if no line changed
        basket_id = basket.pk
        transaction.on_commit(lambda: basket_changed_broadcast(basket_id=basket_id))
    return proposal


def proposal_decline(*, proposal: BasketProposal, user, session_key: str | None) -> BasketProposal:
    with transaction.atomic():
        proposal = _locked_open(proposal=proposal)
        proposal_shopper_check(proposal=proposal, user=user, session_key=session_key)
        proposal.status, proposal.decided_at = BasketProposal.Status.DECLINED, timezone.now()
        proposal.save(update_fields=["status", "decided_at"])
        _broadcast(proposal)
    return proposal


def proposal_withdraw(*, proposal: BasketProposal, agent) -> BasketProposal:
    if not user_may_propose(agent):
        raise ProposalNotAllowed()
    with transaction.atomic():
        proposal = _locked_open(proposal=proposal)
        proposal.status, proposal.decided_at = BasketProposal.Status.WITHDRAWN, timezone.now()
        proposal.save(update_fields=["status", "decided_at"])
        _broadcast(proposal)
    return proposal


def socket_basket(*, user, cookies: dict[str, str]):
    """The basket a shopper's browser uses, found from a websocket's scope with the same rule as the
    API (`basket_for_request`): a signed-in shopper's open basket (created when missing); a guest's from
    Oscar's basket cookie as it was at the handshake. A guest with no basket yet cannot get one over a
    socket (it cannot set the cookie): ProposalNeedsBrowser says to accept over HTTP (ADR 0049)."""
    request = HttpRequest()
    request.user = user
    request.COOKIES = dict(cookies or {})
    basket = basket_for_request(request=request, create=bool(user and user.is_authenticated))
    if basket.pk is None:
        raise ProposalNeedsBrowser()
    return basket


def basket_changed_broadcast(*, basket_id: int) -> None:
    """Tell the console about a basket's fresh lines, for every open conversation watching it.
    Best effort (events.broadcast never raises); call after commit."""
    conversation_ids = conversations_watching_basket(basket_id=basket_id)
    if not conversation_ids:
        return
    basket = Basket.objects.filter(pk=basket_id).first()
    lines = basket_lines(basket) if basket is not None and basket.status == Basket.OPEN else []
    for conversation_id in conversation_ids:
        events.broadcast(
            events.AGENTS_GROUP,
            {"type": "agents.basket", "conversation": conversation_id, "basket_id": basket_id, "basket": lines},
        )
