"""The API docs and both back offices load nothing from other hosts: no CDN, web fonts, Gravatar or
upgrade check. Links (<a href>) may point anywhere; what a browser fetches by itself may not."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

OWN_HOSTS = {"testserver", "localhost", "127.0.0.1", "www.w3.org"}  # w3.org: SVG/XML namespace names
FETCHED = [
    re.compile(
        r"""<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc\s*=\s*["']?(https?:)?//([^/"'\s>]+)""", re.I
    ),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?(https?:)?//([^/"'\s>]+)""", re.I),
    re.compile(r"""@import\s+(?:url\()?\s*["']?(https?:)?//([^/"'\s)]+)""", re.I),
    re.compile(r"""url\(\s*["']?(https?:)?//([^/"'\s)]+)""", re.I),
]
KNOWN_CALLERS = ["fonts.googleapis.com", "fonts.gstatic.com", "cdn.redoc.ly", "releases.wagtail.org", "gravatar.com"]


def foreign_fetches(html: str) -> list[str]:
    hosts = []
    for pattern in FETCHED:
        hosts += [match.group(2) for match in pattern.finditer(html)]
    found = [host for host in hosts if host.split(":")[0] not in OWN_HOSTS]
    found += [name for name in KNOWN_CALLERS if name in html]
    return found


@pytest.fixture
def staff_client(client):
    staff = get_user_model().objects.create_superuser(email="editor@example.com", password="x-long-password-1")
    client.force_login(staff)
    return client


@pytest.mark.parametrize("url", ["/api/v1/schema/swagger-ui/", "/api/v1/schema/redoc/"])
def test_the_api_docs_load_only_from_this_site(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert foreign_fetches(response.content.decode()) == []
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "img-src 'self' data:" in policy
    assert "https:" not in policy and "*" not in policy


def test_redoc_uses_system_fonts(client):
    html = client.get("/api/v1/schema/redoc/").content.decode()
    assert "system-ui" in html and "Montserrat" not in html


def test_the_redoc_script_is_ours(client):
    html = client.get("/api/v1/schema/redoc/").content.decode()
    script = re.search(r'<script src="([^"]+)"', html).group(1)
    assert urlparse(script).netloc == "" and script.startswith("/static/")


@pytest.mark.parametrize("url", ["/admin/login/", "/cms/login/", "/auth/login/"])
def test_login_pages_load_only_from_this_site(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert foreign_fetches(response.content.decode()) == []


@pytest.mark.parametrize(
    "url",
    [
        "/cms/",
        "/cms/pages/",
        "/cms/account/",
        "/admin/",
        "/admin/accounts/user/",
        "/admin/order/order/",
        "/admin/tasks/",
    ],
)
def test_back_office_pages_load_only_from_this_site(staff_client, url):
    response = staff_client.get(url, follow=True)
    assert response.status_code == 200
    assert foreign_fetches(response.content.decode()) == []
