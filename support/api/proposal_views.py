"""/api/v1/support/conversations/<id>/proposals/...: basket proposals (ADR 0049). Agents propose; the
conversation's own shopper (signed in, or the guest of this session) accepts into the basket this
browser uses, or declines."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apibase.errors import ERROR_RESPONSES, ErrorSerializer
from apibase.parsers import StrictJSONParser
from checkout.basket.selectors import basket_for_request
from checkout.basket.tokens import basket_token
from support import proposal_selectors, proposal_services

from .proposal_serializers import ProposalCreateSerializer, ProposalSerializer
from .views import ConversationMixin, GuestCsrfCheck, _session_key

PROPOSAL_ERRORS = {**ERROR_RESPONSES, 404: ErrorSerializer, 409: ErrorSerializer}


def _proposal_response(proposal, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(ProposalSerializer(proposal_selectors.proposal_view(proposal)).data, status=status_code)


@extend_schema(tags=["support"])
class ProposalListView(ConversationMixin, APIView):
    permission_classes = [GuestCsrfCheck]
    parser_classes = [StrictJSONParser]

    @extend_schema(summary="The conversation's basket proposals, oldest first",
                   responses={200: ProposalSerializer(many=True), 404: ErrorSerializer})  # fmt: skip
    def get(self, request, pk):
        proposals = proposal_selectors.proposals_of(conversation=self.get_conversation())
        return Response(ProposalSerializer([proposal_selectors.proposal_view(p) for p in proposals], many=True).data)

    @extend_schema(
        summary="Propose a product (a variant or standalone product, and a quantity) or a voucher (agents)",
        description="Error codes: `proposal_not_allowed` (not a support agent), `product_not_available`, "
        "`insufficient_stock`, `voucher_not_found`, `voucher_expired`, `conversation_closed`.",
        request=ProposalCreateSerializer,
        responses={201: ProposalSerializer, **PROPOSAL_ERRORS},
    )
    def post(self, request, pk):
        conversation = self.get_conversation()
        if not proposal_services.user_may_propose(request.user):
            raise proposal_services.ProposalNotAllowed()
        data = ProposalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = proposal_services.proposal_propose(
            conversation=conversation,
            agent=request.user,
            product_id=data.validated_data.get("product"),
            quantity=data.validated_data["quantity"],
            voucher_code=data.validated_data["voucher_code"],
        )
        return _proposal_response(proposal, status.HTTP_201_CREATED)


class ProposalActionView(ConversationMixin, APIView):
    permission_classes = [GuestCsrfCheck]

    def get_proposal(self):
        return proposal_selectors.proposal_of(
            conversation=self.get_conversation(), proposal_id=self.kwargs["proposal_id"]
        )


@extend_schema(
    tags=["support"],
    summary="Accept a proposal: it goes into your basket (the conversation's shopper only)",
    description="The product is added with the basket's rules (stock, quantity limit) or the voucher applied "
    "with the voucher rules; their refusals answer with the basket API's codes (`insufficient_stock`, "
    "`product_not_available`, `voucher_*`). Other codes: `proposal_not_yours`, `proposal_not_open`. A guest's "
    "new basket comes back in Oscar's basket cookie, as the basket API does.",
    request=None,
    responses={200: ProposalSerializer, **PROPOSAL_ERRORS},
)
class ProposalAcceptView(ProposalActionView):
    def post(self, request, pk, proposal_id):
        proposal = self.get_proposal()
        session_key = _session_key(request)
        proposal_services.proposal_shopper_check(proposal=proposal, user=request.user, session_key=session_key)
        basket = basket_for_request(request=request, create=True)
        proposal = proposal_services.proposal_accept(
            proposal=proposal, basket=basket, user=request.user, session_key=session_key, request=request
        )
        response = _proposal_response(proposal)
        if basket.owner_id is None:  # keep the guest's basket in the cookie the shop reads
            response.set_cookie(
                settings.OSCAR_BASKET_COOKIE_OPEN,
                basket_token(basket),
                max_age=settings.OSCAR_BASKET_COOKIE_LIFETIME,
                secure=settings.OSCAR_BASKET_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


@extend_schema(
    tags=["support"],
    summary="Decline a proposal (the conversation's shopper only)",
    request=None,
    responses={200: ProposalSerializer, **PROPOSAL_ERRORS},
)
class ProposalDeclineView(ProposalActionView):
    def post(self, request, pk, proposal_id):
        proposal = proposal_services.proposal_decline(
            proposal=self.get_proposal(), user=request.user, session_key=_session_key(request)
        )
        return _proposal_response(proposal)


@extend_schema(
    tags=["support"],
    summary="Withdraw an open proposal (agents)",
    request=None,
    responses={200: ProposalSerializer, **PROPOSAL_ERRORS},
)
class ProposalWithdrawView(ProposalActionView):
    def post(self, request, pk, proposal_id):
        proposal = proposal_services.proposal_withdraw(proposal=self.get_proposal(), agent=request.user)
        return _proposal_response(proposal)
