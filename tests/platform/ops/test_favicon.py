"""The shop's icon: /favicon.ico answers for every part of the site, and the shop, /admin/ and /cms/
pages link it."""

import io
import re

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def _icons(html: str) -> list[str]:
    return re.findall(r'<link[^>]*rel="(?:shortcut )?icon"[^>]*href="([^"]+)"', html)


def test_favicon_ico_is_a_real_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=86400" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO" and {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])


def test_the_back_offices_and_the_shop_link_the_shops_icon(client, staff_user):
    pages = {"/admin/login/": None, "/cms/login/": None}
    anonymous = {url: _icons(client.get(url).content.decode()) for url in pages}
    client.force_login(staff_user)
    signed_in = {url: _icons(client.get(url).content.decode()) for url in ("/admin/", "/cms/", "/basket/")}

    for url, icons in {**anonymous, **signed_in}.items():
        assert "/static/hypex/img/favicon.svg" in icons, url
        assert "/static/hypex/img/favicon.ico" in icons, url
        assert not any("wagtailadmin" in icon for icon in icons), url  # not Wagtail's own bird
