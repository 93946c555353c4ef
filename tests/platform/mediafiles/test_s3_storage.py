"""Media on object storage carry the headers /media/ would send (ADR 0026), set on each object at upload."""

from mediafiles.storage import MediaS3Storage


def _upload_parameters(key: str) -> dict:
    storage = MediaS3Storage(bucket_name="hypex-media", location="media", object_parameters={"CacheControl": "x"})
    return storage._get_write_parameters(key)


def test_product_images_are_stored_to_show_inline():
    params = _upload_parameters("media/images/products/2026/12/ab12.png")

    assert params == {"CacheControl": "x", "ContentType": "image/png", "ContentDisposition": "inline"}


def test_shoppers_attachments_are_stored_as_downloads():
    params = _upload_parameters("media/support/2026/12/ab12.jpg")

    assert params["ContentType"] == "image/jpeg"
    assert params["ContentDisposition"] == "attachment"


def test_anything_but_a_raster_image_is_an_opaque_download():
    params = _upload_parameters("media/documents/page.html")

    assert params["ContentType"] == "application/octet-stream"
    assert params["ContentDisposition"] == "attachment"
