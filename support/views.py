"""The agent console: a page in the back office where support agents answer shoppers live; and the
rating page an emailed link opens (`/support/rate/<token>/`, ADR 0051)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from apibase.errors import ApiError

from .emails import rating_token_conversation_id
from .models import RATING_COMMENT_MAX_LENGTH, Conversation, ConversationRating
from .selectors import STATES, conversation_state, conversations_for_console, user_is_agent
from .services import conversation_rate
from .sla import conversation_time_left, service_level_target


@staff_member_required
def agent_console(request):
    if not user_is_agent(request.user):
        raise PermissionDenied
    target = service_level_target()
    conversations = [
        {"conversation": c, "state": conversation_state(c), "state_label": STATES[conversation_state(c)],
         "sla": conversation_time_left(c, target=target)}
        for c in conversations_for_console()
    ]  # fmt: skip
    context = {
        **admin.site.each_context(request),
        "title": "Support console",
        "conversations": conversations,
        "state_labels": STATES,
    }
    return render(request, "support/agent_console.html", context)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, 6)], coerce=int, widget=forms.RadioSelect, label="Your rating"
    )
    comment = forms.CharField(
        required=False, max_length=RATING_COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
        label="Anything to add? (optional)",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def conversation_rate_page(request, token: str):
    """Rate a closed conversation from the emailed link: no sign-in, the signed token is the key.
    A forged or expired link answers 404 with a page saying so."""
    conversation_id = rating_token_conversation_id(token=token)
    conversation = Conversation.objects.filter(pk=conversation_id).first() if conversation_id else None
    if conversation is None:
        return render(request, "support/rate.html", {"invalid": True}, status=404)
    existing = ConversationRating.objects.filter(conversation=conversation).first()
    status, done, error = 200, False, ""
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                conversation_rate(
                    conversation=conversation, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
                )
                done = True
            except ApiError as refused:
                status, error = refused.status_code, str(refused.detail)
        else:
            status = 400
    else:
        initial = {"score": existing.score, "comment": existing.comment} if existing else {}
        form = RatingForm(initial=initial)
    context = {"conversation": conversation, "form": form, "done": done, "error": error, "existing": existing}
    return render(request, "support/rate.html", context, status=status)
