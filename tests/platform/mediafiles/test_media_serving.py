"""/media/ from Django (SERVE_MEDIA) and from the shipped nginx config: raster images only as images,
shoppers' uploads and anything else as downloads, always nosniff."""

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
NGINX_CONF = ROOT / "deploy" / "nginx" / "hypex.conf"


@pytest.fixture
def stored(settings):
    settings.SERVE_MEDIA = True
    names = {
        "support": default_storage.save("support/2026/01/abc.png", ContentFile(b"\x89PNG fake")),
        "product": default_storage.save("images/products/2026/01/abc.png", ContentFile(b"\x89PNG fake")),
        "page": default_storage.save("documents/evil.html", ContentFile(b"<script>alert(1)</script>")),
        "svg": default_storage.save("original_images/logo.svg", ContentFile(b"<svg onload='alert(1)'/>")),
    }
    yield names
    for name in names.values():
        default_storage.delete(name)


@pytest.mark.parametrize(
    ("key", "content_type", "disposition"),
    [
        ("support", "image/png", "attachment"),
        ("product", "image/png", "inline"),
        ("page", "application/octet-stream", "attachment"),
        ("svg", "application/octet-stream", "attachment"),
    ],
)
def test_django_serves_media_with_safe_headers(client, stored, key, content_type, disposition):
    response = client.get(f"/media/{stored[key]}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"


def test_media_is_not_served_unless_asked_and_never_outside_media_root(client, stored, settings):
    assert client.get("/media/../config/settings/base.py").status_code == 404
    assert client.get("/media/%2e%2e/manage.py").status_code == 404
    settings.SERVE_MEDIA = False
    assert client.get(f"/media/{stored['product']}").status_code == 404


def _media_location(text: str) -> str:
    match = re.search(r"location /media/ \{(.*?)\n    \}", text, re.S)
    assert match, "no `location /media/` block"
    return match.group(1)


def test_nginx_media_location_sends_nosniff_disposition_and_only_raster_types():
    text = NGINX_CONF.read_text()
    block = _media_location(text)

    assert "add_header X-Content-Type-Options nosniff always;" in block
    assert "add_header Content-Disposition $media_disposition always;" in block
    assert "default_type application/octet-stream;" in block
    types = re.search(r"types \{(.*?)\}", block, re.S).group(1).split()
    assert sorted(t for t in types if "/" in t) == ["image/gif", "image/jpeg", "image/png", "image/webp"]
    mapping = re.search(r"map \$uri \$media_disposition \{(.*?)\}", text, re.S).group(1)
    assert re.search(r"default\s+attachment;", mapping)
    assert "(?!support/)" in mapping


def test_nginx_passes_the_host_with_its_port_to_websockets():
    block = re.search(r"location /ws/ \{(.*?)\n    \}", NGINX_CONF.read_text(), re.S).group(1)

    assert "proxy_set_header Host $http_host;" in block


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx(tmp_path):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.skip("nginx is not installed (scripts/install-system-deps installs it)")
    media = tmp_path / "media"
    for name, data in {
        "support/2026/01/abc.png": b"\x89PNG fake",
        "images/products/abc.png": b"\x89PNG fake",
        "documents/evil.html": b"<script>alert(1)</script>",
        "original_images/logo.svg": b"<svg onload='alert(1)'/>",
    }.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(data)
    port = _free_port()
    conf = NGINX_CONF.read_text().replace("server web:8000", "server 127.0.0.1:9")
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("/srv/media/", f"{media}/")
    (tmp_path / "hypex.conf").write_text(conf)
    # Started as root, nginx workers drop to `nobody`, who cannot read pytest's private tmp_path.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\ndaemon off;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path};\n  proxy_temp_path {tmp_path};\n"
        f"  include {tmp_path}/hypex.conf;\n}}\n"
    )
    process = subprocess.Popen([binary, "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")])  # noqa: S603
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("path", "content_type", "disposition"),
    [
        ("support/2026/01/abc.png", "image/png", "attachment"),
        ("images/products/abc.png", "image/png", "inline"),
        ("documents/evil.html", "application/octet-stream", "attachment"),
        ("original_images/logo.svg", "application/octet-stream", "attachment"),
    ],
)
def test_the_shipped_nginx_serves_media_with_safe_headers(nginx, path, content_type, disposition):
    with urllib.request.urlopen(f"{nginx}/media/{path}", timeout=5) as response:  # noqa: S310
        assert response.headers["Content-Type"] == content_type
        assert response.headers["Content-Disposition"] == disposition
        assert response.headers["X-Content-Type-Options"] == "nosniff"
