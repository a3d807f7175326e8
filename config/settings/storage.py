"""The default file storage, chosen by CENTRIC_STORAGE: the local disk, or an S3-compatible bucket.

Pending uploads, the report archive and CVs all go through Django's storage API, so with `s3` every web and
worker node reads and writes one bucket and any of them may serve any request (docs/deployment.md).
"""

from __future__ import annotations

import environ
from django.core.exceptions import ImproperlyConfigured

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def default_storage_config(env: environ.Env) -> dict:
    kind = env.str("CENTRIC_STORAGE", default="local").strip().lower()
    if kind == "local":
        return dict(LOCAL)
    if kind != "s3":
        raise ImproperlyConfigured(f"CENTRIC_STORAGE must be 'local' or 's3', not {kind!r}.")
    bucket = env.str("CENTRIC_S3_BUCKET", default="").strip()
    if not bucket:
        raise ImproperlyConfigured("CENTRIC_STORAGE=s3 needs CENTRIC_S3_BUCKET.")
    options: dict[str, object] = {
        "bucket_name": bucket,
        # None lets boto3 find credentials itself (instance role, AWS_* variables, ~/.aws).
        "access_key": env.str("CENTRIC_S3_ACCESS_KEY", default="") or None,
        "secret_key": env.str("CENTRIC_S3_SECRET_KEY", default="") or None,
        "endpoint_url": env.str("CENTRIC_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("CENTRIC_S3_REGION", default="") or None,
        "location": env.str("CENTRIC_S3_PREFIX", default=""),
        # Private objects: files are served by the app after its permission checks, never by a public URL.
        "default_acl": None,
        "querystring_auth": True,
        # Like the local storage, a taken name gets a new one rather than overwriting another report's file.
        "file_overwrite": False,
        "addressing_style": env.str("CENTRIC_S3_ADDRESSING_STYLE", default="") or None,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
