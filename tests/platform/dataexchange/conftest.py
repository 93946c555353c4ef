"""Fixtures for import/export: a small catalogue to import into, files in each format, a job runner."""

from __future__ import annotations

import json

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from dataexchange import services
from dataexchange.models import ImportJob


@pytest.fixture
def shop(db):
    """Product classes with attributes (Clothing: colour, size; Homeware: colour, material; Book: author,
    pages), the category tree and the one partner, as the demo builders make them."""
    from demodata import builders

    classes = builders.product_classes_build()
    partner = builders.partner_build()
    return {"classes": classes, "partner": partner}


def file_bytes(rows: list[dict], format_key: str) -> bytes:
    """The rows (dicts with the same keys) written as a CSV, XLSX or JSON upload."""
    if format_key == "json":
        return json.dumps(rows).encode()
    dataset = tablib.Dataset(headers=list(rows[0]))
    for row in rows:
        dataset.append([row[key] for key in rows[0]])
    data = dataset.export(format_key)
    return data.encode("utf-8") if isinstance(data, str) else data


def upload(rows: list[dict], format_key: str, name: str = "data") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.{format_key}", file_bytes(rows, format_key))


@pytest.fixture
def dry_run(django_capture_on_commit_callbacks, staff_user):
    """Upload rows and run the dry run task (as huey does after commit); returns the job."""

    def run(resource: str, rows: list[dict], format_key: str = "csv") -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.import_job_create(
                resource=resource, format=format_key, file=upload(rows, format_key), user=staff_user
            )
        job.refresh_from_db()
        return job

    return run


@pytest.fixture
def confirm(django_capture_on_commit_callbacks, staff_user):
    """Confirm a checked job and run the import task after commit; returns the job."""

    def run(job: ImportJob) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            services.import_job_confirm(job=job, user=staff_user)
        job.refresh_from_db()
        return job

    return run
