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
