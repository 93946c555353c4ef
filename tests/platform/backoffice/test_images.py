"""Images uploaded in the back office: type sniffed from the bytes, size and pixel limits."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model
from oscar.test import factories
from PIL import Image

from backoffice.images import validate_uploaded_image

ProductImage = get_model("catalogue", "ProductImage")


def _image(fmt: str = "PNG", size=(40, 30), name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_common_web_formats_pass(fmt):
    validate_uploaded_image(_image(fmt))


def test_a_text_file_named_png_is_refused():
    upload = SimpleUploadedFile("evil.png", b"<?php echo 'hi'; ?>", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        validate_uploaded_image(upload)
    assert error.value.code == "not_an_image"


def test_a_real_image_of_another_type_is_refused_whatever_its_name():
    with pytest.raises(ValidationError) as error:
        validate_uploaded_image(_image("BMP", name="photo.png"))
    assert error.value.code == "bad_type"


def test_a_truncated_image_is_refused():
    data = _image("PNG", size=(300, 300)).read()
    upload = SimpleUploadedFile("cut.png", data[: len(data) // 2])
    with pytest.raises(ValidationError) as error:
        validate_uploaded_image(upload)
    assert error.value.code == "damaged"


def test_size_and_pixel_limits(settings):
    settings.BACKOFFICE_IMAGE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        validate_uploaded_image(_image("PNG", size=(200, 200)))
    assert error.value.code == "too_large"

    settings.BACKOFFICE_IMAGE_MAX_BYTES = 10_000_000
    settings.BACKOFFICE_IMAGE_MAX_PIXELS = 1000
    with pytest.raises(ValidationError) as error:
        validate_uploaded_image(_image("PNG", size=(50, 50)))
    assert error.value.code == "too_many_pixels"

    settings.BACKOFFICE_IMAGE_MAX_PIXELS = 10_000_000
    settings.BACKOFFICE_IMAGE_MAX_SIDE = 100
    with pytest.raises(ValidationError) as error:
        validate_uploaded_image(_image("PNG", size=(101, 2)))
    assert error.value.code == "too_many_pixels"


@pytest.mark.django_db
def test_admin_upload_shows_the_error_and_stores_nothing_then_accepts_a_real_image(client, staff_user):
    product = factories.create_product(title="Vase")
    client.force_login(staff_user)
    data = {"product": product.pk, "caption": "Front", "display_order": 0}
    fake = SimpleUploadedFile("vase.jpg", b"not an image at all", content_type="image/jpeg")

    response = client.post("/admin/catalogue/productimage/add/", {**data, "original": fake})

    assert response.status_code == 200
    assert "not a valid image" in response.content.decode() or "not an image" in response.content.decode()
    assert not ProductImage.objects.exists()

    response = client.post("/admin/catalogue/productimage/add/", {**data, "original": _image("BMP", name="v.png")})
    assert response.status_code == 200
    assert "BMP images are not accepted" in response.content.decode()
    assert not ProductImage.objects.exists()

    response = client.post("/admin/catalogue/productimage/add/", {**data, "original": _image("JPEG", name="v.jpg")})
    assert response.status_code == 302
    assert ProductImage.objects.get().product == product


@pytest.mark.django_db
def test_admin_stores_product_and_category_images_under_random_names_of_the_decoded_format(client, staff_user):
    import re

    product = factories.create_product(title="Vase")
    client.force_login(staff_user)

    response = client.post(
        "/admin/catalogue/productimage/add/",
        {"product": product.pk, "caption": "Front", "display_order": 0, "original": _image("PNG", name="vase.jpg")},
    )

    assert response.status_code == 302
    stored = ProductImage.objects.get().original.name
    assert re.fullmatch(r"images/products/\d{4}/\d{2}/[0-9a-f]{32}\.png", stored), stored

    response = client.post(
        "/admin/catalogue/category/add/",
        {"name": "Vases", "slug": "vases", "is_public": "on", "treebeard_position": "first-child",
         "treebeard_ref_node": "", "image": _image("GIF", name="vases.html.png")},
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[-3000:]
    category = get_model("catalogue", "Category").objects.get(slug="vases")
    assert re.fullmatch(r"categories/[0-9a-f]{32}\.gif", category.image.name), category.image.name
