"""Requests several test modules make of the same pages, written once."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def home_with_query_count(client, user) -> tuple[int, str]:
    """`user`'s home page: the number of queries it took and its HTML."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def upload_measurements(client, content: str | bytes, **fields) -> str:
    """Upload a measurement file through the import wizard; the preview's address it redirects to."""
    raw = content.encode() if isinstance(content, str) else content
    data = {"kind": "measurements", "file": SimpleUploadedFile("m.csv", raw), **fields}
    response = client.post(reverse("culture:import_upload"), data)
    assert response.status_code == 302
    return response["Location"]
