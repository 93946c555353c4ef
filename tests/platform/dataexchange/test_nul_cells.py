"""A NUL character (\\x00) in an import file is a clear error on the job, never a stuck job or a hidden cut.

PostgreSQL refuses NUL in text and jsonb: before this, the dry run accepted the row and then failed to save
its own preview, leaving the job "checking" for ever. SQLite would have stored the title with a NUL in it.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model

from dataexchange import services
from dataexchange.formats import NUL_SHOWN
from dataexchange.models import ImportJob
from dataexchange.resources.base import NUL_CELL_ERROR
from tests.platform.dataexchange.conftest import file_bytes, upload
from tests.platform.dataexchange.test_products_import import product_rows

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ADD_URL = "/admin/dataexchange/importjob/add/"


@pytest.mark.parametrize("format_key", ["csv", "json"])
def test_a_product_cell_with_a_nul_is_a_row_error_and_nothing_is_written(shop, dry_run, format_key):
    rows = product_rows()
    rows[3]["title"] = "Stone\x00ware Mug"
    rows[4]["attr:author"] = "\x00"

    job = dry_run("products", rows, format_key)

    assert job.status == ImportJob.Status.INVALID, job.message
    assert (job.rows_new, job.rows_rejected) == (3, 2)
    by_row = {error["row"]: error for error in job.errors}
    assert by_row[4]["fields"] == {"title": [NUL_CELL_ERROR]}
    assert by_row[4]["values"]["title"] == f"Stone{NUL_SHOWN}ware Mug"
    assert by_row[5]["fields"] == {"attr:author": [NUL_CELL_ERROR]}
    assert not Product.objects.exists()


def test_the_nul_check_is_shared_by_every_resource(db, dry_run):
    rows = [{"path": "Home > Kit\x00chen", "description": "", "is_public": "1"}]

    job = dry_run("categories", rows)

    assert job.status == ImportJob.Status.INVALID
    assert job.errors[0]["fields"] == {"path": [NUL_CELL_ERROR]}
    assert not Category.objects.exists()


def test_a_column_name_with_a_nul_makes_the_file_unreadable(shop, dry_run):
    rows = [{**row, "ti\x00tle": row["title"]} for row in product_rows()]

    job = dry_run("products", rows)

    assert job.status == ImportJob.Status.INVALID
    assert job.message == "A column name holds a NUL character (\\x00), which is not text."
    assert not Product.objects.exists()


def test_an_xlsx_file_with_a_nul_is_unreadable_as_xlsx_says(shop, staff_user, django_capture_on_commit_callbacks):
    rows = product_rows()
    rows[3]["title"] = "StoneQQQware Mug"
    content = _xlsx_with(file_bytes(rows, "xlsx"), b"QQQ", b"&#0;")  # XML cannot carry NUL, even escaped
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(
            resource="products", format="xlsx", file=SimpleUploadedFile("nul.xlsx", content), user=staff_user
        )
    job.refresh_from_db()

    assert job.status == ImportJob.Status.INVALID
    assert job.message.startswith("The file could not be read as XLSX:")
    assert not Product.objects.exists()


def test_the_back_office_shows_the_nul_row_on_the_dry_run_page(shop, staff_client, django_capture_on_commit_callbacks):
    rows = product_rows()
    rows[3]["title"] = "Stone\x00ware Mug"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            ADD_URL, {"resource": "products", "format": "", "import_file": upload(rows, "csv", name="nul")}
        )
    assert response.status_code == 302

    page = staff_client.get(response["Location"])

    assert page.status_code == 200
    assert b"Rejected rows" in page.content
    assert "holds a NUL character" in page.content.decode()
    assert f"Stone{NUL_SHOWN}ware Mug" in page.content.decode()
    assert b"Confirm the import" not in page.content


def _xlsx_with(content: bytes, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name).replace(old, new))
    return out.getvalue()
