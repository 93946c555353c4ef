"""Business errors of support chat, in the project's one error format."""

from rest_framework import status

from apibase.errors import ApiError


class ConversationClosed(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conversation_closed"
    default_detail = "This conversation is closed. Reopen it to write again."


class AttachmentInvalid(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "attachment_invalid"
    default_detail = "Attach a JPEG, PNG, GIF or WebP image of at most 5 MB."


class MessageEmpty(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "message_empty"
    default_detail = "Write a message or attach an image."


class ContextNotYours(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "context_not_yours"
    default_detail = "You can only ask about your own orders."


class RatingInvalid(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "rating_invalid"
    default_detail = "Rate with a whole number from 1 to 5, and a comment of at most 1000 characters."


class RatingNotOpen(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "rating_not_open"
    default_detail = "Only a closed conversation can be rated, within 14 days of closing."


class ProposalNotAllowed(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "proposal_not_allowed"
    default_detail = "Only support agents can propose products or vouchers."


class ProposalNotYours(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "proposal_not_yours"
    default_detail = "Only the shopper of this conversation can answer this proposal."


class ProposalNotFound(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = "not_found"
    default_detail = "No such proposal in this conversation."


class ProposalNotOpen(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "proposal_not_open"
    default_detail = "This proposal was already answered or withdrawn."


class ProposalNeedsBrowser(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "accept_over_http"
    default_detail = (
        "Your basket is not known to this connection: accept with "
        "POST /api/v1/support/conversations/<id>/proposals/<proposal_id>/accept/."
    )
