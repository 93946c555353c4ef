"""The support agent of the browser tests, and their way into the support console."""

from __future__ import annotations

from django.contrib.auth import get_user_model

AGENT_EMAIL = "agent@example.com"
AGENT_PASSWORD = "console-lantern-harbour-9"


def agent_create():
    """A staff user who may answer support chats (a superuser, first name Alex)."""
    return get_user_model().objects.create_superuser(email=AGENT_EMAIL, password=AGENT_PASSWORD, first_name="Alex")


def console_open(page) -> None:
    """Sign the agent in on the back office's login form and land on the support console."""
    page.goto("/admin/login/?next=/admin/support/console/")
    page.fill("input[name=username]", AGENT_EMAIL)
    page.fill("input[name=password]", AGENT_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/admin/support/console/")
