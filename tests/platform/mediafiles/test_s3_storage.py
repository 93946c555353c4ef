"""Media on object storage carry the headers /media/ would send (ADR 0026), set on each object at upload;
import uploads on object storage stay private. The S3 API is stubbed (botocore's Stubber): these tests
check what Hypex asks the bucket to store, not a bucket."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from botocore.stub import Stubber
from django.core.files.base import ContentFile

from dataexchange.models import import_file_storage
from mediafiles.storage import MediaS3Storage

CONNECTION = {"access_key": "AKIAEXAMPLE", "secret_key": "example", "region_name": "eu-west-1"}


def _stored(name: str) -> dict:
    """Save `name` through MediaS3Storage and return the PutObject request it made (without the body)."""
    storage = MediaS3Storage(bucket_name="hypex-media", location="media", file_overwrite=False, **CONNECTION)
    client = storage.connection.meta.client
    requests = []
    client.meta.events.register(
        "provide-client-params.s3.PutObject", lambda params, **_: requests.append(params.copy())
    )
    with Stubber(client) as stub:
        stub.add_client_error("head_object", service_error_code="404", http_status_code=404)
        stub.add_response("put_object", {})
        assert storage.save(name, ContentFile(b"\x89PNG fake image bytes")) == name
    (request,) = requests
    request.pop("Body")
    return request


def test_product_images_are_stored_to_show_inline():
    request = _stored("images/products/2026/12/ab12.png")

    assert request["Key"] == "media/images/products/2026/12/ab12.png"
    assert (request["ContentType"], request["ContentDisposition"]) == ("image/png", "inline")


def test_shoppers_attachments_are_stored_as_downloads():
    request = _stored("support/2026/12/ab12.jpg")

    assert request["Key"] == "media/support/2026/12/ab12.jpg"
    assert (request["ContentType"], request["ContentDisposition"]) == ("image/jpeg", "attachment")


def test_anything_but_a_raster_image_is_an_opaque_download():
    request = _stored("documents/page.html")

    assert (request["ContentType"], request["ContentDisposition"]) == ("application/octet-stream", "attachment")


def test_import_uploads_on_object_storage_are_private_and_signed(settings):
    options = {**CONNECTION, "bucket_name": "hypex-private", "location": "private/dataexchange"}
    settings.STORAGES = {
        **settings.STORAGES,
        "dataexchange": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**options, "querystring_auth": True, "querystring_expire": 300, "custom_domain": None},
        },
    }

    url = urlsplit(import_file_storage().url("imports/2026/12/ab12.csv"))

    assert url.path.endswith("/private/dataexchange/imports/2026/12/ab12.csv")
    query = parse_qs(url.query)
    assert url.path.startswith("/private/") and url.netloc.startswith("hypex-private.")
    assert query["Signature"]
    assert 0 < int(query["Expires"][0]) - time.time() <= 300
