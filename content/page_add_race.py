"""A new page that two requests of Wagtail's editor create at once: the one that loses is sent to the page
the other one made, with a message, instead of a 500.

Wagtail's editor autosaves a new page in the background (on a field's change event). When the editor
clicks "Publish" on the add view while that first autosave is in flight, both requests pass the form's
check that the slug is free, both try to add the page, and the second one fails inside Wagtail's
`add_child`: `Page.full_clean` raises `ValidationError` (the slug is now taken) or, when both inserts
overlap on PostgreSQL, the tree's unique path raises `IntegrityError`. Wagtail lets either escape the
view. This middleware answers that one case - a POST to the page add view failing with one of those two
errors - with a redirect to the edit view of the page now holding the slug (or to the parent's listing
when there is none) and a message that nothing of this request was saved, so the editor publishes again
from the saved draft. Every other exception goes on as before.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from wagtail.models import Page

logger = logging.getLogger(__name__)

PAGE_ADD_VIEW = "wagtailadmin_pages:add"


class PageAddRaceMiddleware(MiddlewareMixin):
    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseRedirect | None:
        match = request.resolver_match
        if request.method != "POST" or match is None or match.view_name != PAGE_ADD_VIEW:
            return None
        if not isinstance(exception, ValidationError | IntegrityError):
            return None
        parent = Page.objects.filter(pk=match.kwargs.get("parent_page_id")).first()
        if parent is None:
            return None
        slug = request.POST.get("slug", "")
        saved = parent.get_children().filter(slug=slug).first() if slug else None
        logger.warning(
            "A new page under %s lost a race to another save of it (%s); the editor is sent to %s",
            parent.pk, type(exception).__name__, f"page {saved.pk}" if saved else "the parent's listing",
        )  # fmt: skip
        if saved is not None:
            messages.error(
                request,
                f"“{saved.title}” was saved a moment ago by another request (the editor's autosave) while "
                "this one was on its way, so nothing of this request was saved. Check the draft below and "
                "publish again.",
            )
            return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[saved.pk]))
        messages.error(request, "The page could not be added: another save changed this part of the site meanwhile.")
        return HttpResponseRedirect(reverse("wagtailadmin_explore", args=[parent.pk]))
