"""Nothing is written before confirmation, and a confirmed import that fails writes nothing at all."""

from decimal import Decimal

from oscar.core.loading import get_model

from dataexchange import services
from dataexchange.models import ImportJob

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def rows():
    return [
        {"upc": f"P-{n}", "product_class": "Book", "title": f"Book {n}", "partner_sku": f"SKU-{n}", "price": "5.00",
         "num_in_stock": "1"}
        for n in range(1, 4)
    ]  # fmt: skip


def test_the_dry_run_writes_nothing(shop, dry_run):
    job = dry_run("products", rows())
    assert job.status == ImportJob.Status.READY
    assert (Product.objects.count(), StockRecord.objects.count()) == (0, 0)


def test_an_import_that_fails_on_its_last_row_writes_none_of_the_rows(shop, dry_run, confirm):
    job = dry_run("products", rows())
    assert job.status == ImportJob.Status.READY
    # Between the dry run and the confirmation someone gives SKU-3 to another product.
    other = Product.objects.create(upc="OTHER", title="Other", product_class=shop["classes"]["Book"])
    StockRecord.objects.create(product=other, partner=shop["partner"], partner_sku="SKU-3", price=Decimal("1"))

    job = confirm(job)

    assert job.status == ImportJob.Status.FAILED
    assert job.rows_rejected == 1
    assert job.errors[0]["row"] == 3
    assert job.errors[0]["fields"]["partner_sku"] == ["SKU SKU-3 already belongs to product OTHER."]
    assert list(Product.objects.values_list("upc", flat=True)) == ["OTHER"]
    assert StockRecord.objects.count() == 1


def test_a_job_is_confirmed_and_imported_once(shop, dry_run, confirm):
    job = confirm(dry_run("products", rows()))
    assert job.status == ImportJob.Status.DONE

    # A repeated task (a retry, a second worker) finds the job done and writes nothing twice.
    assert services.import_job_import(job_id=job.pk).status == ImportJob.Status.DONE
    assert services.import_job_dry_run(job_id=job.pk).status == ImportJob.Status.DONE
    assert Product.objects.count() == 3
    try:
        services.import_job_confirm(job=job)
    except services.ImportJobNotConfirmable:
        pass
    else:
        raise AssertionError("a finished job was confirmed again")


def test_a_file_that_is_not_the_chosen_format_is_rejected_without_a_500(shop, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(
            resource="products", format="xlsx", file=SimpleUploadedFile("x.xlsx", b"upc,title\n1,2\n")
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert "could not be read as XLSX" in job.message


def test_a_file_without_the_key_column_is_rejected(shop, dry_run):
    job = dry_run("stock", [{"sku": "X", "num_in_stock": "1"}])
    assert job.status == ImportJob.Status.INVALID
    assert "partner_sku" in job.message
