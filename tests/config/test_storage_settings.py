"""Uploaded files on the local disk by default, on S3-compatible object storage with MEDIA_STORAGE=s3."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
S3_ENV = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "hypex-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
    "AWS_S3_REGION_NAME": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "example-secret",
}
PRODUCTION_ENV = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "shop.example.com"}


def _settings(settings_module: str, env: dict[str, str]) -> dict:
    code = (
        "import json; from django.conf import settings as s; from dataexchange.models import import_file_storage;"
        "print(json.dumps({'STORAGES': s.STORAGES, 'imports': type(import_file_storage()).__name__,"
        " 'SECRET_KEY_FALLBACKS': s.SECRET_KEY_FALLBACKS}))"
    )
    names = {"DJANGO_SETTINGS_MODULE", "MEDIA_STORAGE", "SECRET_KEY_FALLBACKS", *S3_ENV, *PRODUCTION_ENV}
    clean_env = {k: v for k, v in os.environ.items() if k not in names and not k.startswith("AWS_")}
    clean_env.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_environment_keeps_media_and_imports_on_the_local_disk():
    effective = _settings("config.settings.local", {})

    assert effective["STORAGES"] == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert effective["imports"] == "FileSystemStorage"


def test_production_on_disk_serves_static_files_through_whitenoise():
    effective = _settings("config.settings.production", PRODUCTION_ENV)

    assert effective["STORAGES"] == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }


def test_object_storage_puts_media_and_private_imports_in_the_bucket():
    effective = _settings("config.settings.production", {**PRODUCTION_ENV, **S3_ENV})

    connection = {
        "endpoint_url": "https://s3.example.net",
        "region_name": "eu-west-1",
        "access_key": "AKIAEXAMPLE",
        "secret_key": "example-secret",
        "file_overwrite": False,
        "default_acl": None,
    }
    assert effective["STORAGES"] == {
        "default": {
            "BACKEND": "mediafiles.storage.MediaS3Storage",
            "OPTIONS": {
                **connection,
                "bucket_name": "hypex-media",
                "location": "media",
                "querystring_auth": True,
                "querystring_expire": 21600,
                "object_parameters": {"CacheControl": "max-age=604800"},
            },
        },
        "dataexchange": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **connection,
                "bucket_name": "hypex-media",
                "location": "private/dataexchange",
                "querystring_auth": True,
                "querystring_expire": 300,
                "custom_domain": None,
            },
        },
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    assert effective["imports"] == "S3Storage"


def test_media_behind_a_cdn_gets_plain_urls_while_imports_stay_signed():
    env = {**PRODUCTION_ENV, **S3_ENV, "AWS_S3_CUSTOM_DOMAIN": "media.example.com"}
    env["DATAEXCHANGE_S3_BUCKET_NAME"] = "hypex-private"

    storages = _settings("config.settings.production", env)["STORAGES"]

    assert storages["default"]["OPTIONS"]["custom_domain"] == "media.example.com"
    assert storages["default"]["OPTIONS"]["querystring_auth"] is False
    assert storages["dataexchange"]["OPTIONS"]["bucket_name"] == "hypex-private"
    assert storages["dataexchange"]["OPTIONS"]["querystring_auth"] is True
    assert storages["dataexchange"]["OPTIONS"]["custom_domain"] is None


@pytest.mark.parametrize(
    ("env", "message"),
    [({"MEDIA_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME"), ({"MEDIA_STORAGE": "ftp"}, "filesystem or s3")],
)
def test_object_storage_refuses_to_start_half_configured(env, message):
    clean_env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", *S3_ENV}}
    clean_env.update(DJANGO_SETTINGS_MODULE="config.settings.production", **PRODUCTION_ENV, **env)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean_env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_secret_key_rotation_keeps_the_old_keys_as_fallbacks():
    env = {**PRODUCTION_ENV, "SECRET_KEY_FALLBACKS": "old-key-1, old-key-2"}

    assert _settings("config.settings.production", env)["SECRET_KEY_FALLBACKS"] == ["old-key-1", "old-key-2"]
