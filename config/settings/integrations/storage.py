"""Where uploaded files live: the local disk (the default) or an S3-compatible bucket.

`MEDIA_STORAGE` picks it:
- `filesystem` (default): media in `MEDIA_ROOT`, import uploads in `DATAEXCHANGE_FILES_ROOT`
  (`integrations/dataexchange.py`). Several machines share them through one volume (in Kubernetes a
  ReadWriteMany PersistentVolumeClaim; docs/adr/0036).
- `s3`: django-storages' S3 backend (AWS S3, MinIO, Ceph, R2 ...), in `AWS_STORAGE_BUCKET_NAME` under
  `MEDIA_S3_LOCATION` (`media`). Objects are written with the content type and disposition
  `mediafiles.views.media_headers` gives `/media/` (ADR 0026), by `mediafiles.storage.MediaS3Storage`.
  Import uploads (business data, never public) get a storage of their own, `STORAGES["dataexchange"]`:
  `DATAEXCHANGE_S3_BUCKET_NAME` (default: the media bucket) under `DATAEXCHANGE_S3_LOCATION`
  (`private/dataexchange`), always with signed, short-lived URLs and never a custom domain.

Credentials: `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (each also as `*_FILE`); without them boto3's
own chain applies (a pod's workload identity, an instance role).
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_str

MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")


def s3_storages_from_env() -> dict[str, dict]:
    """The `default` (media) and `dataexchange` (import uploads) storages on S3, from the environment."""
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    connection = {
        key: value
        for key, value in {
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "region_name": env_str("AWS_S3_REGION_NAME"),
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE"),
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
        }.items()
        if value
    }
    # Random names never collide; refusing to overwrite keeps the file system's behaviour anyway.
    common = {**connection, "file_overwrite": False, "default_acl": None}
    custom_domain = env_str("AWS_S3_CUSTOM_DOMAIN")
    media = {
        **common,
        "bucket_name": bucket,
        "location": env_str("MEDIA_S3_LOCATION", "media"),
        # Signed URLs by default (a private bucket works as is); a shop serving media from a public
        # bucket or a CDN (AWS_S3_CUSTOM_DOMAIN) turns them off so browsers and the CDN can cache.
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", not custom_domain),
        "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 3600 * 6),
        "object_parameters": {"CacheControl": env_str("MEDIA_S3_CACHE_CONTROL", "max-age=604800")},
    }
    if custom_domain:
        media["custom_domain"] = custom_domain
    private = {
        **common,
        "bucket_name": env_str("DATAEXCHANGE_S3_BUCKET_NAME", bucket),
        "location": env_str("DATAEXCHANGE_S3_LOCATION", "private/dataexchange"),
        "querystring_auth": True,
        "querystring_expire": 300,
        "custom_domain": None,
    }
    return {
        "default": {"BACKEND": "mediafiles.storage.MediaS3Storage", "OPTIONS": media},
        "dataexchange": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": private},
    }


if MEDIA_STORAGE == "filesystem":
    STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
elif MEDIA_STORAGE == "s3":
    STORAGES = s3_storages_from_env()
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {MEDIA_STORAGE!r}.")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
