"""The agent console: a page in the back office where support agents answer shoppers live."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .selectors import STATES, conversation_state, conversations_for_console, user_is_agent


@staff_member_required
def agent_console(request):
    if not user_is_agent(request.user):
        raise PermissionDenied
    conversations = [
        {"conversation": c, "state": conversation_state(c), "state_label": STATES[conversation_state(c)]}
        for c in conversations_for_console()
    ]
    context = {
        **admin.site.each_context(request),
        "title": "Support console",
        "conversations": conversations,
        "state_labels": STATES,
    }
    return render(request, "support/agent_console.html", context)
