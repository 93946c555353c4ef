"""Support attachments cannot carry a page (stored XSS): the bytes are decoded by Pillow, the file is
stored under a random name with the decoded format's extension, and served as a download with
nosniff. Through the API, as a shopper or a guest would."""

import io
import os
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from support.models import Message
from tests.conftest import auth_header

pytestmark = pytest.mark.django_db
URL = "/api/v1/support/conversations/"
SCRIPT = b"<html><script>alert(document.cookie)</script></html>"
RANDOM_NAME = re.compile(r"^support/\d{4}/\d{2}/[0-9a-f]{32}\.(png|gif|jpg|webp)$")


def _gif(size=(1, 1), noise: bool = False) -> bytes:
    image = Image.frombytes("L", size, os.urandom(size[0] * size[1])).convert("P") if noise else Image.new("P", size)
    buffer = io.BytesIO()
    image.save(buffer, format="GIF")
    return buffer.getvalue()


def _cut_gif() -> bytes:
    whole = _gif((64, 64), noise=True)
    return whole[: len(whole) // 2]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _post(api_client, conversation, user, name: str, data: bytes, content_type: str = "text/html"):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return api_client.post(
        f"{URL}{conversation.pk}/messages/", {"attachment": upload}, format="multipart", **auth_header(user)
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("x.html", _cut_gif() + SCRIPT),  # a GIF's header and half its pixels, then a page: opens, cannot load
        ("x.svg", b"GIF89a<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("x.gif", SCRIPT),
    ],
)
def test_gif_headed_pages_and_svgs_are_refused(api_client, user, conversation, name, data):
    response = _post(api_client, conversation, user, name, data)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "attachment_invalid"
    assert not Message.objects.filter(conversation=conversation).exclude(attachment="").exists()


def test_a_decodable_gif_named_html_is_stored_as_a_random_gif(api_client, user, conversation):
    response = _post(api_client, conversation, user, "x.html", _gif() + SCRIPT)

    assert response.status_code == 201, response.json()
    stored = Message.objects.get(pk=response.json()["id"]).attachment.name
    assert RANDOM_NAME.match(stored) and stored.endswith(".gif")
    assert "x" not in stored.rsplit("/", 1)[1].removesuffix(".gif")


def test_a_real_png_is_stored_under_a_random_png_name(api_client, user, conversation):
    response = _post(api_client, conversation, user, "../../holiday photo.html", _png(), "image/png")

    assert response.status_code == 201, response.json()
    stored = Message.objects.get(pk=response.json()["id"]).attachment.name
    assert RANDOM_NAME.match(stored) and stored.endswith(".png"), stored
    assert default_storage.exists(stored)


def test_guests_uploads_are_checked_the_same_way(client):
    created = client.post(URL, {"subject": "Hi", "body": "Guest", "guest_email": "g@example.com"},
                          content_type="application/json")  # fmt: skip
    client.get("/")  # the CSRF cookie
    token = client.cookies["csrftoken"].value
    url = f"{URL}{created.json()['id']}/messages/"
    page = SimpleUploadedFile("x.svg", b"GIF89a<svg onload='alert(1)'/>", content_type="image/svg+xml")

    refused = client.post(url, {"attachment": page}, HTTP_X_CSRFTOKEN=token)
    accepted = client.post(url, {"attachment": SimpleUploadedFile("x.html", _gif() + SCRIPT)}, HTTP_X_CSRFTOKEN=token)

    assert refused.status_code == 400 and refused.json()["error"]["code"] == "attachment_invalid"
    assert accepted.status_code == 201
    assert Message.objects.get(pk=accepted.json()["id"]).attachment.name.endswith(".gif")


def test_the_attachment_is_served_as_a_download_with_nosniff(api_client, client, user, conversation, settings):
    settings.SERVE_MEDIA = True
    posted = _post(api_client, conversation, user, "x.html", _gif() + SCRIPT)
    url = posted.json()["attachment"]

    response = client.get(url.removeprefix("http://testserver"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"GIF8")
