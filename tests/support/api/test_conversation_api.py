"""/api/v1/support/: conversations and messages over REST, with the same rules as the websockets."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from support.models import Conversation, Message
from tests.api_errors import assert_api_error
from tests.conftest import auth_header

pytestmark = pytest.mark.django_db
URL = "/api/v1/support/conversations/"


def _png(size=(40, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_shopper_starts_a_conversation_and_writes(api_client, user, django_capture_on_commit_callbacks):
    headers = auth_header(user)
    with django_capture_on_commit_callbacks(execute=True):
        created = api_client.post(URL, {"subject": "Sizes", "body": "Does M fit a 40 chest?"}, format="json", **headers)
    assert created.status_code == 201
    conversation_id = created.json()["id"]
    assert created.json()["status"] == "waiting"
    # Nobody is on the console: the support inbox hears about it.
    assert [m.to for m in mail.outbox] == [["support@hypex.test"]]

    posted = api_client.post(
        f"{URL}{conversation_id}/messages/", {"body": "Also, is it cotton?"}, format="json", **headers
    )
    assert posted.status_code == 201 and posted.json()["role"] == "customer"
    history = api_client.get(f"{URL}{conversation_id}/messages/", **headers).json()
    assert [m["body"] for m in history["results"]] == ["Does M fit a 40 chest?", "Also, is it cotton?"]
    first_id = history["results"][0]["id"]
    missed = api_client.get(f"{URL}{conversation_id}/messages/?after={first_id}", **headers).json()
    assert [m["body"] for m in missed["results"]] == ["Also, is it cotton?"]


def test_another_shoppers_conversation_answers_404(api_client, conversation):
    other = get_user_model().objects.create_user(email="other@example.com", password="x-long-pass-1")
    headers = auth_header(other)
    assert_api_error(api_client.get(f"{URL}{conversation.pk}/", **headers), 404, "not_found")
    assert_api_error(api_client.get(f"{URL}{conversation.pk}/messages/", **headers), 404, "not_found")
    posted = api_client.post(f"{URL}{conversation.pk}/messages/", {"body": "hi"}, format="json", **headers)
    assert_api_error(posted, 404, "not_found")
    assert_api_error(api_client.post(f"{URL}{conversation.pk}/close/", **headers), 404, "not_found")
    assert api_client.get(URL, **headers).json()["results"] == []


def test_anonymous_without_session_sees_nothing(api_client, conversation):
    assert api_client.get(URL).json()["results"] == []
    assert_api_error(api_client.get(f"{URL}{conversation.pk}/"), 404, "not_found")


def test_guest_starts_with_an_email_and_keeps_the_conversation_by_session(client):
    refused = client.post(URL, {"subject": "Hi", "body": "Question"}, content_type="application/json")
    assert "guest_email" in assert_api_error(refused, 400, "validation_error")["fields"]
    created = client.post(
        URL, {"subject": "Hi", "body": "Question", "guest_email": "guest@example.com"}, content_type="application/json"
    )
    assert created.status_code == 201
    conversation_id = created.json()["id"]
    assert client.get(f"{URL}{conversation_id}/messages/").status_code == 200
    # Another browser (another session) cannot read it.
    from django.test import Client

    assert_api_error(Client().get(f"{URL}{conversation_id}/"), 404, "not_found")


def test_guest_writes_need_the_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        URL, {"subject": "Hi", "body": "Q", "guest_email": "g@example.com"}, content_type="application/json"
    )
    assert_api_error(response, 403, "permission_denied")
    assert not Conversation.objects.exists()


def test_agent_sees_every_conversation_and_answers(api_client, conversation, agent, django_capture_on_commit_callbacks):
    headers = auth_header(agent)
    assert [c["id"] for c in api_client.get(URL, **headers).json()["results"]] == [conversation.pk]
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_client.post(
            f"{URL}{conversation.pk}/messages/", {"body": "Yes, 100% cotton."}, format="json", **headers
        )
    assert answer.json()["role"] == "agent"
    conversation.refresh_from_db()
    assert conversation.status == "open" and conversation.assigned_agent == agent
    # The shopper is not connected: the reply goes to their inbox.
    assert any(m.to == [conversation.customer.email] and "100% cotton" in m.body for m in mail.outbox)


def test_closed_conversation_refuses_messages_until_reopened(api_client, user, conversation):
    headers = auth_header(user)
    assert api_client.post(f"{URL}{conversation.pk}/close/", **headers).json()["status"] == "closed"
    refused = api_client.post(f"{URL}{conversation.pk}/messages/", {"body": "one more"}, format="json", **headers)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conversation_closed"
    assert api_client.post(f"{URL}{conversation.pk}/reopen/", **headers).json()["status"] == "waiting"
    assert (
        api_client.post(f"{URL}{conversation.pk}/messages/", {"body": "one more"}, format="json", **headers).status_code
        == 201
    )


def test_image_attachment_is_accepted(api_client, user, conversation):
    response = api_client.post(
        f"{URL}{conversation.pk}/messages/", {"body": "", "attachment": _png()}, format="multipart", **auth_header(user)
    )
    assert response.status_code == 201, response.json()
    assert Message.objects.get(pk=response.json()["id"]).attachment.name.endswith(".png")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", content_type="image/png"),
        SimpleUploadedFile("doc.pdf", b"%PDF-1.4 not an image", content_type="application/pdf"),
    ],
)
def test_non_images_are_refused_whatever_their_name(api_client, user, conversation, upload):
    response = api_client.post(
        f"{URL}{conversation.pk}/messages/", {"attachment": upload}, format="multipart", **auth_header(user)
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "attachment_invalid"


def test_oversized_image_is_refused(api_client, user, conversation, settings):
    settings.SUPPORT_ATTACHMENT_MAX_BYTES = 100
    response = api_client.post(
        f"{URL}{conversation.pk}/messages/", {"attachment": _png((200, 200))}, format="multipart", **auth_header(user)
    )
    assert_api_error(response, 400, "attachment_invalid")


@pytest.mark.parametrize(
    ("body", "code"), [("", "message_empty"), ("   ", "message_empty"), ("x" * 2001, "validation_error")]
)
def test_empty_or_too_long_messages_are_refused(api_client, user, conversation, body, code):
    response = api_client.post(f"{URL}{conversation.pk}/messages/", {"body": body}, format="json", **auth_header(user))
    assert_api_error(response, 400, code)


def test_asking_about_someone_elses_order_is_refused(api_client, user):
    from oscar.test.factories import create_order

    other = get_user_model().objects.create_user(email="o@example.com", password="x-long-pass-1")
    order = create_order(user=other)
    response = api_client.post(
        URL, {"subject": "Where?", "body": "My order", "order": str(order.number)}, format="json", **auth_header(user)
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "context_not_yours"


def test_agent_context_shows_basket_orders_and_product(api_client, user, agent):
    from oscar.test.factories import create_order, create_product

    product = create_product(title="Red Oxford Shirt", price=40, num_in_stock=4)
    order = create_order(user=user)
    created = api_client.post(
        URL,
        {"subject": "Q", "body": "About this shirt", "product": product.pk, "order": str(order.number)},
        format="json",
        **auth_header(user),
    ).json()
    context = api_client.get(f"{URL}{created['id']}/context/", **auth_header(agent)).json()
    assert context["product"]["title"] == "Red Oxford Shirt"
    assert context["orders"][0]["number"] == str(order.number)
    assert context["order"] == str(order.number)
    assert_api_error(api_client.get(f"{URL}{created['id']}/context/", **auth_header(user)), 403, "permission_denied")


def test_agent_assigns_to_self(api_client, conversation, agent):
    response = api_client.post(f"{URL}{conversation.pk}/assign/", **auth_header(agent))
    assert response.status_code == 200 and response.json()["assigned_agent"] == "Alex"


def test_ticket_for_signed_in_users(api_client, user):
    assert_api_error(api_client.post("/api/v1/support/tickets/"), 403, "permission_denied")
    response = api_client.post("/api/v1/support/tickets/", **auth_header(user))
    assert response.status_code == 201 and response.json()["expires_in"] == 60


def test_support_emails_link_the_host_the_shop_was_served_from(
    api_client, user, django_capture_on_commit_callbacks, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "shop.test"]
    with django_capture_on_commit_callbacks(execute=True):
        created = api_client.post(
            URL, {"subject": "Sizes", "body": "Hello"}, format="json", HTTP_HOST="shop.test:8123", **auth_header(user)
        )

    assert created.status_code == 201
    assert "http://shop.test:8123/admin/support/console/?conversation=" in mail.outbox[-1].body
