"""Product image renditions are made when an image is written, not when a shopper first sees it
(`catalogue.image_renditions`, ADR 58): a saved image through the outbox after commit, rows written
without signals by the catch-up task; a page shown afterwards makes no thumbnail. Real files under a
temporary MEDIA_ROOT."""

import io
import logging
import shutil
import time

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.functional import empty
from oscar.core.loading import get_model
from PIL import Image
from sorl.thumbnail import default as sorl_default
from sorl.thumbnail.base import ThumbnailBackend
from sorl.thumbnail.models import KVStore

from catalogue.image_renditions import (
    MISSING,
    RENDITIONS_TOPIC,
    UNREADABLE,
    product_image_renditions_catch_up,
)
from catalogue.selectors import PRODUCT_IMAGE_RENDITIONS
from sideeffects.delivery import Outcome, outbox_message_deliver
from sideeffects.models import OutboxMessage
from tests.catalogue.conftest import product_with_stock

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")


@pytest.fixture
def media(settings, tmp_path):
    """Files on disk under a temporary MEDIA_ROOT, for the originals and sorl's renditions alike."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    sorl_default.storage._wrapped = empty  # sorl resolves its storage once
    yield tmp_path
    sorl_default.storage._wrapped = empty


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The names of the thumbnails sorl makes (writes a file for), in order."""
    names: list[str] = []
    create = ThumbnailBackend._create_thumbnail

    def counted(self, source_image, geometry_string, options, thumbnail):
        names.append(thumbnail.name)
        return create(self, source_image, geometry_string, options, thumbnail)

    monkeypatch.setattr(ThumbnailBackend, "_create_thumbnail", counted)
    return names


def _jpeg(size=(800, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _render(client, url: str) -> tuple[int, float]:
    """One request's statements and wall milliseconds (the response must be a 200)."""
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200
    return len(queries), elapsed


def _messages():
    return OutboxMessage.objects.filter(topic=RENDITIONS_TOPIC)


def test_an_image_saved_in_the_admin_has_its_renditions_made_after_commit_and_pages_make_none(
    media, made, staff_client, django_capture_on_commit_callbacks
):
    product = product_with_stock("Blue Vase")
    upload = SimpleUploadedFile("vase.jpg", _jpeg(), content_type="image/jpeg")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(
            "/admin/catalogue/productimage/add/",
            {"product": product.pk, "caption": "Front", "display_order": 0, "original": upload},
        )

    assert response.status_code == 302
    image = ProductImage.objects.get(product=product)
    message = _messages().get()  # written in the saving transaction, nothing made in the request
    assert message.payload == {"image_ids": [image.pk]} and made == []
    assert image.renditions_made_at is None and callbacks

    assert outbox_message_deliver(message_id=message.pk) == Outcome.DELIVERED  # what the worker does

    image.refresh_from_db()
    assert image.renditions_made_at is not None and image.renditions_error == ""
    assert len(made) == len(PRODUCT_IMAGE_RENDITIONS)
    assert all((media / name).is_file() for name in made)
    made.clear()
    shopper = Client()
    for url in (product.get_absolute_url(), "/catalogue/", f"/api/v1/products/{product.pk}/"):
        _render(shopper, url)
    _render(staff_client, "/admin/catalogue/product/")
    assert made == []  # product page (gallery, cards), catalogue cards, API thumbnail, staff list

    outbox_message_deliver(message_id=message.pk)  # delivered twice: nothing made again
    product_image_renditions_catch_up()
    assert made == []


def test_a_page_shown_before_the_worker_ran_makes_the_renditions_in_the_request_as_before(
    media, made, client, django_capture_on_commit_callbacks
):
    product = product_with_stock("Green Vase")
    with django_capture_on_commit_callbacks(execute=False):
        ProductImage.objects.create(product=product, original=ContentFile(_jpeg(), name="green.jpg"))

    _render(client, product.get_absolute_url())

    assert made  # the worker is behind: the request makes what it shows, the page is whole
    html = client.get(product.get_absolute_url()).content.decode()
    assert "placeholder-product" not in html


def test_the_first_catalogue_page_after_a_bulk_import_costs_fewer_queries_once_the_task_ran(media, made, client):
    """24 products whose images were written with `bulk_create` (no signals): the first render of
    `/catalogue/` before and after the catch-up task, on two copies of the same shop state."""
    names = []
    for index in range(24):
        name = f"images/products/bulk-{index}.jpg"
        (media / "images/products").mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(_jpeg())
        names.append((product_with_stock(f"Bulk Lamp {index:02}"), name))
    ProductImage.objects.bulk_create(ProductImage(product=product, original=name) for product, name in names)

    before, _ = _render(client, "/catalogue/")  # sorl makes every card's square in the request
    made_in_request = len(made)
    KVStore.objects.all().delete()  # the same shop state again: no thumbnail known or on disk
    shutil.rmtree(media / "cache")
    cache.clear()
    made.clear()

    assert product_image_renditions_catch_up(seconds=0) == {"made": 0, "failed": 0}  # bounded in time too
    first = product_image_renditions_catch_up(limit=10)
    second = product_image_renditions_catch_up(limit=10)
    third = product_image_renditions_catch_up(limit=10)
    assert (first, second, third) == ({"made": 10, "failed": 0}, {"made": 10, "failed": 0}, {"made": 4, "failed": 0})
    assert product_image_renditions_catch_up(limit=10) == {"made": 0, "failed": 0}
    assert len(made) == 24 * len(PRODUCT_IMAGE_RENDITIONS)
    assert not ProductImage.objects.filter(renditions_made_at__isnull=True).exists()
    cache.clear()  # a cold cache: only the thumbnail entries' one read ahead is left
    made.clear()

    after, _ = _render(client, "/catalogue/")

    assert made_in_request > 0 and made == []
    assert after < before


def test_a_missing_or_unreadable_original_is_logged_and_marked_once_and_the_page_still_renders(
    media, made, client, caplog
):
    gone, broken, fine = (product_with_stock(title) for title in ("Gone Lamp", "Broken Lamp", "Fine Lamp"))
    (media / "images/products").mkdir(parents=True)
    (media / "images/products/broken.jpg").write_bytes(b"not a jpeg at all")
    (media / "images/products/fine.jpg").write_bytes(_jpeg())
    ProductImage.objects.bulk_create(
        [
            ProductImage(product=gone, original="images/products/gone.jpg"),
            ProductImage(product=broken, original="images/products/broken.jpg"),
            ProductImage(product=fine, original="images/products/fine.jpg"),
        ]
    )

    with caplog.at_level(logging.WARNING, logger="catalogue.image_renditions"):
        assert product_image_renditions_catch_up() == {"made": 1, "failed": 2}

    errors = dict(ProductImage.objects.values_list("product__title", "renditions_error"))
    assert errors == {"Gone Lamp": MISSING, "Broken Lamp": UNREADABLE, "Fine Lamp": ""}
    assert not ProductImage.objects.filter(renditions_made_at__isnull=True).exists()
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert MISSING in logged and UNREADABLE in logged
    caplog.clear()
    assert product_image_renditions_catch_up() == {"made": 0, "failed": 0}  # not tried again

    for product in (gone, broken):
        _render(client, product.get_absolute_url())
    _render(client, "/catalogue/")


def test_saving_an_image_again_makes_its_renditions_not_yet_until_its_message_is_delivered(
    media, made, django_capture_on_commit_callbacks
):
    product = product_with_stock("Red Vase")
    with django_capture_on_commit_callbacks(execute=True):
        image = ProductImage.objects.create(product=product, original=ContentFile(_jpeg(), name="red.jpg"))
    image.refresh_from_db()
    assert image.renditions_made_at is not None  # huey runs in-process in tests: delivered at commit

    with django_capture_on_commit_callbacks(execute=False):
        image.original = ContentFile(_jpeg(size=(500, 500)), name="red-2.jpg")
        image.save()

    image.refresh_from_db()
    assert image.renditions_made_at is None
    assert _messages().filter(status=OutboxMessage.Status.PENDING).count() == 1


def test_a_cold_catalogue_page_reads_its_cards_thumbnail_entries_in_one_query_whatever_their_number(media, made):
    (media / "images/products").mkdir(parents=True)
    _render(Client(), "/catalogue/")  # the site's first request writes its contact settings

    def cold_render(count: int) -> int:
        rows = []
        for index in range(count):
            name = f"images/products/lamp-{count}-{index}.jpg"
            (media / name).write_bytes(_jpeg(size=(120, 90)))
            rows.append(ProductImage(product=product_with_stock(f"Lamp {count}-{index:02}"), original=name))
        ProductImage.objects.bulk_create(rows)
        product_image_renditions_catch_up()
        cache.clear()  # sorl's entries are then read from its table
        queries, _ = _render(Client(), "/catalogue/")
        return queries

    few, many = cold_render(3), cold_render(9)

    assert made and few == many  # 12 cards on the second page: not one entry query per card
