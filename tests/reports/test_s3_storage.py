"""Files through the S3-compatible backend (django-storages) against moto's server on loopback: the pending
upload and the report archive are written and read back through the bucket, never the local disk."""

from __future__ import annotations

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from culture.measurements import pending
from reports.models import GeneratedReport
from reports.tasks import request_report
from tests.s3 import ACCESS_KEY, SECRET_KEY, create_bucket, moto_server, s3_storages

BUCKET = "centric-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    with moto_server() as endpoint:
        create_bucket(endpoint, BUCKET)
        yield endpoint


@pytest.fixture
def s3(settings, s3_endpoint, tmp_path):
    # The local media folder is empty and stays so: every byte must land in the bucket.
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = s3_storages(s3_endpoint, BUCKET, settings.STORAGES["staticfiles"])
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )
    yield client
    assert not any(tmp_path.iterdir()), "nothing may be written to the local media folder"


def _keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_local_disk_is_the_default(monkeypatch):
    import environ

    from config.settings.storage import default_storage_config

    monkeypatch.delenv("CENTRIC_STORAGE", raising=False)
    assert default_storage_config(environ.Env()) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_pending_upload_round_trip_through_the_bucket(s3):
    from django.core.files.storage import storages
    from storages.backends.s3 import S3Storage

    assert isinstance(storages["default"], S3Storage)
    body = b"team,kpi,period,value\nteam-a,nps,2026-09,41\n"
    checksum = pending.store_upload(SimpleUploadedFile("m.csv", body))
    assert pending.name_for(checksum) in _keys(s3)
    session: dict = {}
    pending.remember(session, checksum=checksum, kind="measurements", filename="m.csv")
    assert pending.recall(session, checksum) == {"kind": "measurements", "filename": "m.csv", "options": None}
    with pending.open_upload(checksum) as stream:
        assert stream.read() == body
    assert pending.store_upload(SimpleUploadedFile("again.csv", body)) == checksum  # one object per content
    assert len([key for key in _keys(s3) if key.startswith("imports/")]) == 1
    assert pending.purge_stale() == 0  # fresh uploads stay
    pending.forget(session, checksum)
    assert pending.name_for(checksum) not in _keys(s3)
    assert pending.recall(session, checksum) is None


@pytest.mark.django_db
def test_report_is_archived_in_the_bucket_and_downloaded_from_it(
    s3, demo_kind, cco, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="demo", parameters={"period": "2026-q3"}, user=cco)
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE
    assert report.file.name in _keys(s3)
    stored = s3.get_object(Bucket=BUCKET, Key=report.file.name)["Body"].read()
    assert stored == b"%PDF-demo 2026-Q3"
    client.force_login(cco)
    response = client.get(reverse("reports:report_download", args=[report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-demo 2026-Q3"


def test_s3_needs_a_bucket(monkeypatch):
    import environ

    from config.settings.storage import default_storage_config

    monkeypatch.setenv("CENTRIC_STORAGE", "s3")
    monkeypatch.delenv("CENTRIC_S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="CENTRIC_S3_BUCKET"):
        default_storage_config(environ.Env())
    monkeypatch.setenv("CENTRIC_STORAGE", "ftp")
    with pytest.raises(ImproperlyConfigured, match="'local' or 's3'"):
        default_storage_config(environ.Env())
