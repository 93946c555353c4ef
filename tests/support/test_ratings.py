"""Shoppers rate a closed conversation 1-5: in the widget (the `rate` frame), over REST, and from the
emailed link when they were away at closing. One rating per conversation; rating again replaces it
until SUPPORT_RATING_DAYS after closing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from support import services
from support.emails import rating_token
from support.models import Conversation, ConversationRating, Message
from tests.api_errors import assert_api_error
from tests.conftest import auth_header
from tests.support.conftest import connect_with_session, connect_with_token, receive_until

URL = "/api/v1/support/conversations/"


def _path(conversation) -> str:
    return f"/ws/support/{conversation.pk}/"


# --- the widget: the `rate` frame after `closed` ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_shopper_rates_in_the_widget_after_the_closed_frame(client, user, agent, conversation):
    shopper, _, _ = await connect_with_session(client, user, _path(conversation))
    await receive_until(shopper, "history")
    mail.outbox.clear()
    await database_sync_to_async(services.conversation_close)(conversation=conversation)
    await receive_until(shopper, "closed")
    # The shopper is here: no rating email, the widget shows its card instead.
    assert not [m for m in mail.outbox if "How did we do" in m.subject]

    await shopper.send_json_to({"type": "rate", "score": 4, "comment": "Quick and kind"})
    rated = await receive_until(shopper, "rated")
    assert rated["rating"] == {"score": 4, "comment": "Quick and kind"}
    await shopper.send_json_to({"type": "rate", "score": 5})
    assert (await receive_until(shopper, "rated"))["rating"]["score"] == 5
    ratings = await database_sync_to_async(list)(ConversationRating.objects.values_list("score", "comment"))
    assert ratings == [(5, "")]
    await shopper.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "frame",
    [
        {"type": "rate"},
        {"type": "rate", "score": 0},
        {"type": "rate", "score": 6},
        {"type": "rate", "score": 4.5},
        {"type": "rate", "score": "5"},
        {"type": "rate", "score": True},
        {"type": "rate", "score": 3, "comment": ["nested"]},
        {"type": "rate", "score": 3, "comment": "x" * 1001},
        {"type": "rate", "score": 3, "comment": "bad\u0000byte"},
    ],
)
async def test_invalid_rate_frames_get_an_error_frame_and_store_nothing(client, user, conversation, frame):
    await database_sync_to_async(services.conversation_close)(conversation=conversation)
    shopper, _, _ = await connect_with_session(client, user, _path(conversation))
    await receive_until(shopper, "history")
    await shopper.send_json_to(frame)
    error = await receive_until(shopper, "error")
    assert error["code"] in {"rating_invalid", "invalid_frame"}
    assert await database_sync_to_async(ConversationRating.objects.count)() == 0
    await shopper.send_json_to({"type": "ping"})  # still open
    await receive_until(shopper, "pong")
    await shopper.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_an_open_conversation_cannot_be_rated_and_agents_never_rate(client, user, agent, conversation):
    shopper, _, _ = await connect_with_session(client, user, _path(conversation))
    await receive_until(shopper, "history")
    await shopper.send_json_to({"type": "rate", "score": 5})
    assert (await receive_until(shopper, "error"))["code"] == "rating_not_open"
    await shopper.disconnect()

    await database_sync_to_async(services.conversation_close)(conversation=conversation)
    console, _, _ = await connect_with_token(agent, _path(conversation))
    await receive_until(console, "history")
    await console.send_json_to({"type": "rate", "score": 5})
    assert (await receive_until(console, "error"))["code"] == "permission_denied"
    assert await database_sync_to_async(ConversationRating.objects.count)() == 0
    await console.disconnect()


# --- REST ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_shopper_rates_over_rest_and_rating_again_replaces_it(api_client, user, conversation):
    services.conversation_close(conversation=conversation)
    headers = auth_header(user)
    url = f"{URL}{conversation.pk}/rating/"
    first = api_client.post(url, {"score": 2, "comment": "Slow"}, format="json", **headers)
    assert first.status_code == 200, first.content
    assert first.json()["score"] == 2 and first.json()["comment"] == "Slow"
    again = api_client.post(url, {"score": 4}, format="json", **headers)
    assert again.status_code == 200 and again.json()["score"] == 4
    assert list(ConversationRating.objects.values_list("score", "comment")) == [(4, "")]


@pytest.mark.django_db
def test_rest_rating_refuses_bad_input_open_conversations_strangers_and_agents(api_client, user, agent, conversation):
    headers = auth_header(user)
    url = f"{URL}{conversation.pk}/rating/"
    assert_api_error(api_client.post(url, {"score": 5}, format="json", **headers), 409, "rating_not_open")
    services.conversation_close(conversation=conversation)
    bad = [
        {"score": 0},
        {"score": 6},
        {"score": "five"},
        {"score": "5"},
        {"score": True},
        {"score": 2.5},
        {},
        {"score": 3, "comment": "a" * 1001},
        {"score": 3, "comment": "nul\u0000"},
        {"score": 3, "comment": {"x": 1}},
    ]
    for body in bad:
        response = api_client.post(url, body, format="json", **headers)
        assert response.status_code == 400, (body, response.content)
        assert "error" in response.json()
    stranger = get_user_model().objects.create_user(email="s@example.com", password="x-long-pass-1")
    assert_api_error(api_client.post(url, {"score": 5}, format="json", **auth_header(stranger)), 404, "not_found")
    assert_api_error(api_client.post(url, {"score": 5}, format="json", **auth_header(agent)), 403, "permission_denied")
    assert ConversationRating.objects.count() == 0


@pytest.mark.django_db
def test_rating_is_refused_after_the_rating_window(api_client, user, conversation, settings):
    services.conversation_close(conversation=conversation)
    Conversation.objects.filter(pk=conversation.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=settings.SUPPORT_RATING_DAYS, minutes=1)
    )
    response = api_client.post(f"{URL}{conversation.pk}/rating/", {"score": 5}, format="json", **auth_header(user))
    assert_api_error(response, 409, "rating_not_open")


@pytest.mark.django_db
def test_a_guest_rates_their_own_conversation_over_rest():
    client = Client(enforce_csrf_checks=True)
    client.get("/")  # a session and its CSRF cookie
    started = client.post(
        URL, {"subject": "Gift wrap?", "body": "Do you wrap?", "guest_email": "guest@example.com"},
        content_type="application/json", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )  # fmt: skip
    assert started.status_code == 201, started.content
    conversation = Conversation.objects.get(pk=started.json()["id"])
    services.conversation_close(conversation=conversation)
    url = f"{URL}{conversation.pk}/rating/"
    refused = client.post(url, {"score": 5}, content_type="application/json")  # no CSRF token
    assert refused.status_code == 403
    rated = client.post(url, {"score": 5}, content_type="application/json",
                        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)  # fmt: skip
    assert rated.status_code == 200 and rated.json()["score"] == 5


# --- the away email and its link page --------------------------------------------------------------


def _rating_link(message) -> str:
    return re.search(r"https?://\S+(/support/rate/\S+/)", message.body).group(1)


@pytest.mark.django_db
def test_an_away_guest_is_emailed_a_link_and_rates_on_the_page(client, django_capture_on_commit_callbacks):
    conversation = services.conversation_start(
        guest_email="guest@example.com", session_key="s1", subject="Where is my parcel?", body="Hello"
    )
    services.message_post(conversation=conversation, author=None, role=Message.Role.AGENT, body="On its way")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_close(conversation=conversation)
    emails = [m for m in mail.outbox if m.subject.startswith("How did we do?")]
    assert [m.to for m in emails] == [["guest@example.com"]]
    link = _rating_link(emails[0])

    page = client.get(link)  # a fresh browser: no session, no sign-in
    assert page.status_code == 200
    assert "Where is my parcel?" in page.content.decode()
    posted = client.post(link, {"score": "3", "comment": "Fine"})
    assert posted.status_code == 200 and "data-rate-done" in posted.content.decode()
    assert ConversationRating.objects.get(conversation=conversation).score == 3
    # Rating again from the link replaces it.
    assert "You rated it 3 out of 5" in client.get(link).content.decode()
    client.post(link, {"score": "5", "comment": ""})
    assert list(ConversationRating.objects.values_list("score", flat=True)) == [5]


@pytest.mark.django_db
def test_the_rating_page_refuses_bad_scores_forged_and_expired_links(client, conversation, settings):
    services.conversation_close(conversation=conversation)
    link = f"/support/rate/{rating_token(conversation_id=conversation.pk)}/"
    for data in ({"score": "9"}, {"score": "abc"}, {}, {"score": "4", "comment": "x" * 1001},
                 {"score": "4", "comment": "nul\x00"}):  # fmt: skip
        assert client.post(link, data).status_code == 400, data
    assert ConversationRating.objects.count() == 0

    forged = client.get(f"/support/rate/{rating_token(conversation_id=conversation.pk)}x/")
    assert forged.status_code == 404 and "data-rate-invalid" in forged.content.decode()
    settings.SUPPORT_RATING_DAYS = 0  # every link is too old now
    assert client.get(link).status_code == 404


@pytest.mark.django_db
def test_a_reopened_conversation_cannot_be_rated_from_the_link(client, conversation):
    services.conversation_close(conversation=conversation)
    link = f"/support/rate/{rating_token(conversation_id=conversation.pk)}/"
    services.conversation_reopen(conversation=conversation)
    response = client.post(link, {"score": "5"})
    assert response.status_code == 409 and "data-rate-error" in response.content.decode()
