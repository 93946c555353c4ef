"""The back-office screens through the test client: upload -> dry-run page -> confirm -> imported."""

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model

from dataexchange.models import ImportJob
from tests.platform.dataexchange.conftest import upload

Product = get_model("catalogue", "Product")
ADD_URL = "/admin/dataexchange/importjob/add/"
BOOKS = [
    {"upc": "BK-1", "product_class": "Book", "title": "First", "partner_sku": "BK-1", "price": "7.00",
     "num_in_stock": "2", "attr:pages": "100"},
    {"upc": "BK-2", "product_class": "Book", "title": "Second", "partner_sku": "BK-2", "price": "8.00",
     "num_in_stock": "3", "attr:pages": "200"},
]  # fmt: skip


def test_upload_shows_the_dry_run_then_confirm_imports(shop, staff_client, django_capture_on_commit_callbacks):
    page = staff_client.get(ADD_URL)
    assert page.status_code == 200
    assert b'name="import_file"' in page.content and b"attr:&lt;code&gt;" in page.content

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            ADD_URL, {"resource": "products", "format": "", "import_file": upload(BOOKS, "csv")}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/dataexchange/importjob/{job.pk}/change/"

    page = staff_client.get(response["Location"])
    assert page.status_code == 200
    assert b"Confirm the import" in page.content
    assert b'data-count="new">2<' in page.content
    assert b"First" in page.content and b"Second" in page.content
    assert not Product.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/admin/dataexchange/importjob/{job.pk}/confirm/")
    assert response.status_code == 302
    page = staff_client.get(response["Location"])
    assert b"Imported." in page.content
    assert sorted(Product.objects.values_list("upc", flat=True)) == ["BK-1", "BK-2"]
    assert staff_client.get("/admin/dataexchange/importjob/").status_code == 200


def test_the_dry_run_page_lists_rejected_rows_with_errors_and_offers_no_confirm(
    shop, staff_client, django_capture_on_commit_callbacks
):
    rows = [dict(BOOKS[0]), {**BOOKS[1], "attr:pages": "lots"}]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(ADD_URL, {"resource": "products", "format": "json",
                                               "import_file": upload(rows, "json")})  # fmt: skip
    page = staff_client.get(response["Location"])

    assert b"Rejected rows" in page.content
    assert b"attr:pages" in page.content and b"Invalid value" in page.content
    assert b"Confirm the import" not in page.content
    job = ImportJob.objects.get()
    assert staff_client.post(f"/admin/dataexchange/importjob/{job.pk}/confirm/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID and not Product.objects.exists()


def test_upload_form_errors_are_shown_on_the_page(shop, staff_client):
    text_file = SimpleUploadedFile("data.txt", b"upc,title\nX,Y\n")
    page = staff_client.post(ADD_URL, {"resource": "products", "format": "", "import_file": text_file})
    assert page.status_code == 200
    assert b"the file name does not end in .csv" in page.content
    page = staff_client.post(ADD_URL, {"resource": "nothing", "format": "csv"})
    assert page.status_code == 200 and b"This field is required" in page.content
    assert not ImportJob.objects.exists()


def test_export_page_downloads_a_file(shop, staff_client):
    assert staff_client.get("/admin/dataexchange/importjob/export/").status_code == 200
    response = staff_client.post("/admin/dataexchange/importjob/export/", {"resource": "categories", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="categories-')
    assert response.content.startswith(b"path,description,is_public")


def test_imports_need_the_permission_for_what_they_change(shop, client, user, django_capture_on_commit_callbacks):
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_importjob", "view_importjob", "change_stockrecord", "view_stockrecord"]
        )  # fmt: skip
    )
    client.force_login(user)

    page = client.get(ADD_URL)
    assert page.status_code == 200
    assert b'value="stock"' in page.content and b'value="products"' not in page.content
    page = client.post(ADD_URL, {"resource": "products", "format": "csv", "import_file": upload(BOOKS, "csv")})
    assert page.status_code == 200 and not ImportJob.objects.exists()
    response = client.post("/admin/dataexchange/importjob/export/", {"resource": "orders", "format": "csv"})
    assert response.status_code == 200 and b"Select a valid choice" in response.content


def test_shoppers_cannot_reach_the_import_screens(client, user):
    client.force_login(user)
    response = client.get(ADD_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_sidebar_section_links_to_the_import_and_export_screens(staff_client, rf, staff_user):
    from dataexchange.navigation import sidebar_section

    section = sidebar_section()
    request = rf.get("/admin/")
    request.user = staff_user
    assert all(item["permission"](request) for item in section["items"])
    for item in section["items"]:
        assert staff_client.get(item["link"]).status_code == 200


def test_import_files_are_stored_under_random_names_and_keep_a_clean_display_name(shop, staff_client):
    import re

    from tests.platform.dataexchange.conftest import file_bytes

    evil = SimpleUploadedFile("..\\x\x07<i>.html.csv", file_bytes(BOOKS, "csv"), content_type="text/html")

    staff_client.post(ADD_URL, {"resource": "products", "format": "csv", "import_file": evil})

    job = ImportJob.objects.get()
    assert re.fullmatch(r"imports/\d{4}/\d{2}/[0-9a-f]{32}\.csv", job.file.name), job.file.name
    assert job.original_name == "x<i>.html.csv"
