"""Reads on basket proposals (ADR 0049): how a proposal is shown to both sides, which conversations
watch a basket, and what the reporting dashboard counts."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q
from oscar.core.loading import get_class, get_model

from apibase.money import money_text

from .errors import ProposalNotFound
from .models import BasketProposal, Conversation

Selector = get_class("partner.strategy", "Selector")


def _image_url(product) -> str | None:
    image = product.get_all_images().first()  # a variant without images shows its parent's (Oscar)
    if image is None or not image.original:
        return None
    return image.original.url


def _product_view(product, *, quantity: int, user) -> dict:
    info = Selector().strategy(user=user).fetch_for_product(product)
    price, availability = info.price, info.availability
    amount = None
    if price.exists:
        amount = price.incl_tax if price.is_tax_known else price.excl_tax
    return {
        "id": product.pk,
        "title": product.get_title(),
        "url": product.get_absolute_url(),
        "image": _image_url(product),
        "price": money_text(amount),
        "currency": price.currency if price.exists else None,
        "in_stock": bool(price.exists and availability.is_purchase_permitted(quantity)[0]),
        "availability": str(availability.message),
    }


def proposal_view(proposal: BasketProposal) -> dict:
    """A proposal as both sides see it (the `proposal` frame, `history` and the API)."""
    product = proposal.product
    customer = proposal.conversation.customer if proposal.conversation.customer_id else None
    return {
        "id": proposal.pk,
        "conversation": proposal.conversation_id,
        "kind": proposal.kind,
        "status": proposal.status,
        "product": _product_view(product, quantity=proposal.quantity, user=customer) if product else None,
        "quantity": proposal.quantity if proposal.kind == "product" else None,
        "voucher_code": proposal.voucher_code or None,
        "proposed_by": (proposal.proposed_by.first_name or "Support") if proposal.proposed_by_id else "Support",
        "created_at": proposal.created_at.isoformat(),
        "accepted_at": proposal.accepted_at.isoformat() if proposal.accepted_at else None,
        "decided_at": proposal.decided_at.isoformat() if proposal.decided_at else None,
    }


def proposals_of(*, conversation: Conversation, limit: int = 100) -> list[BasketProposal]:
    """The conversation's proposals, oldest first."""
    queryset = conversation.proposals.select_related("product", "proposed_by", "conversation__customer")
    return list(queryset.order_by("id")[:limit])


def proposal_of(*, conversation: Conversation, proposal_id: int) -> BasketProposal:
    proposal = (
        BasketProposal.objects.select_related("product", "proposed_by", "conversation__customer")
        .filter(conversation=conversation, pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise ProposalNotFound()
    return proposal


def conversations_watching_basket(*, basket_id: int) -> list[int]:
    """Open conversations whose agent should see this basket change: the signed-in owner's, and any
    where a proposal was accepted into it (a guest's basket is known only that way)."""
    Basket = get_model("basket", "Basket")  # noqa: N806
    owner_id = Basket.objects.filter(pk=basket_id).values_list("owner_id", flat=True).first()
    watching = Q(proposals__basket_id=basket_id)
    if owner_id:
        watching |= Q(customer_id=owner_id)
    queryset = Conversation.objects.exclude(status=Conversation.Status.CLOSED).filter(watching)
    return sorted(set(queryset.values_list("pk", flat=True)))


def proposals_accepted_by_agent(*, start: datetime, end: datetime) -> dict[int, int]:
    """Agent user id -> proposals of theirs accepted in [start, end) (for the reporting dashboard)."""
    rows = (
        BasketProposal.objects.filter(
            status=BasketProposal.Status.ACCEPTED,
            accepted_at__gte=start,
            accepted_at__lt=end,
            proposed_by__isnull=False,
        )
        .values("proposed_by_id")
        .annotate(accepted=Count("id"))
        .order_by()
    )
    return {row["proposed_by_id"]: row["accepted"] for row in rows}
