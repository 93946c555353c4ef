"""Where the shopper is now (ADR 0050): the pages the widget reports while a conversation is open.

The shopper's socket sends `{"type": "page", "url": "/path?query", "title": "..."}` on connect and on
every page load; `page_visit_record` checks it, keeps the last `PAGE_TRAIL_LENGTH` per conversation and
tells the agents in the conversation (`chat.page`, relayed to agents' sockets only). Only a path on this
shop is taken: no scheme, no host, no `//`, no backslash, no control characters, at most
`PAGE_URL_MAX_LENGTH` characters; the title is cut to `PAGE_TITLE_MAX_LENGTH`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from rest_framework import status

from apibase.errors import ApiError
from apibase.websocket_db import db_async

from . import events
from .models import PAGE_TITLE_MAX_LENGTH, PAGE_TRAIL_LENGTH, PAGE_URL_MAX_LENGTH, Conversation, PageVisit


class PageInvalid(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "page_invalid"
    default_detail = 'Send {"type": "page", "url": "/a/path/on/this/shop/", "title": "..."}.'


def _has_control(text: str) -> bool:
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def page_url_clean(url) -> str:
    """The path (and query) as given, or `PageInvalid`: a same-origin path only."""
    if not isinstance(url, str) or not url:
        raise PageInvalid()
    if len(url) > PAGE_URL_MAX_LENGTH:
        raise PageInvalid(detail=f"A page address has at most {PAGE_URL_MAX_LENGTH} characters.")
    if not url.startswith("/") or url.startswith("//") or "\\" in url or _has_control(url):
        raise PageInvalid(detail="Send the page's path on this shop (starting with /), not another address.")
    return url


def page_title_clean(title) -> str:
    if title is None:
        return ""
    if not isinstance(title, str) or "\x00" in title:
        raise PageInvalid(detail="A page title is text.")
    return " ".join("".join(" " if _has_control(char) else char for char in title).split())[:PAGE_TITLE_MAX_LENGTH]


def page_payload(visit: PageVisit) -> dict:
    return {"url": visit.url, "title": visit.title, "visited_at": visit.visited_at.isoformat()}


def page_trail(*, conversation_id: int) -> list[dict]:
    """The conversation's last pages, newest first (the first is where the shopper is now)."""
    visits = PageVisit.objects.filter(conversation_id=conversation_id).order_by("-id")[:PAGE_TRAIL_LENGTH]
    return [page_payload(visit) for visit in visits]


def page_visit_record(*, conversation: Conversation, url, title=None) -> PageVisit:
    """Store a page the shopper opened (the same page again, as on a reconnect, only moves its time),
    drop what is past the trail's length, and tell the conversation's agents after commit."""
    url, title = page_url_clean(url), page_title_clean(title)
    with transaction.atomic():
        last = PageVisit.objects.select_for_update().filter(conversation=conversation).order_by("-id").first()
        if last is not None and last.url == url and last.title == title:
            last.visited_at = timezone.now()
            last.save(update_fields=["visited_at"])
            visit = last
        else:
            visit = PageVisit.objects.create(conversation=conversation, url=url, title=title)
            keep = PageVisit.objects.filter(conversation=conversation).order_by("-id")[:PAGE_TRAIL_LENGTH]
            PageVisit.objects.filter(conversation=conversation).exclude(
                pk__in=list(keep.values_list("pk", flat=True))
            ).delete()
        transaction.on_commit(lambda: _broadcast(conversation.pk, visit))
    return visit


def _broadcast(conversation_id: int, visit: PageVisit) -> None:
    event = {"type": "chat.page", "page": page_payload(visit), "trail": page_trail(conversation_id=conversation_id)}
    events.broadcast(events.conversation_group(conversation_id), event)


class PageFrames:
    """The `page` frame of the conversation socket (mixed into support.consumers.ConversationConsumer):
    the shopper's own socket reports; an agent's is refused. Agents' sockets relay `chat.page` events."""

    async def frame_page(self, content: dict) -> None:
        if self.is_agent:
            await self.send_error("page_not_allowed", "Only the shopper's own chat reports the page they are on.")
            return
        await db_async(page_visit_record)(
            conversation=self.conversation, url=content.get("url"), title=content.get("title")
        )

    async def chat_page(self, event: dict) -> None:
        if self.is_agent:
            await self.send_json({"type": "page", "page": event["page"], "trail": event["trail"]})
