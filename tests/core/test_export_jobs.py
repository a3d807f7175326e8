"""XLSX exports of large lists run as a job (core.export_jobs): the list queues it, its page shows the
progress, and the workbook it offers holds exactly the rows the synchronous export writes."""

from __future__ import annotations

import datetime as dt
import io
import os
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from core import export_jobs, exports
from culture.models import Kpi, Measurement
from tests.factories import TeamFactory, UserFactory
from users.roles import Role

pytestmark = pytest.mark.django_db
URL = reverse("culture:measurement_list")


@pytest.fixture
def measurements():
    team = TeamFactory(name="=Team one")
    kpi = Kpi.objects.get(code="aht")
    day = dt.date(2026, 3, 1)
    Measurement.objects.bulk_create(
        Measurement(
            team=team,
            kpi=kpi,
            date=day + dt.timedelta(days=n),
            channel=["all", "phone"][n % 2],
            value=Decimal(n) + Decimal("0.5"),
        )
        for n in range(7)
    )
    return team


def _cells(body: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def _job_id(response) -> str:
    assert response.status_code == 302, response.status_code
    prefix = "/exports/"
    assert response["Location"].startswith(prefix)
    return response["Location"].removeprefix(prefix).strip("/")


@pytest.mark.parametrize("params", [{}, {"channel": "phone"}, {"sort": "value"}])
def test_a_large_xlsx_export_is_a_job_whose_workbook_is_the_synchronous_one(
    client, cco, measurements, settings, params
):
    client.force_login(cco)
    settings.CENTRIC_EXPORT_XLSX_JOB_ROWS = 1000
    direct = client.get(URL, {"_export": "xlsx", **params})
    assert direct.status_code == 200 and direct["Content-Type"] == exports.XLSX_TYPE
    settings.CENTRIC_EXPORT_XLSX_JOB_ROWS = 2

    job_id = _job_id(client.get(URL, {"_export": "xlsx", "page": "2", **params}))

    page = client.get(reverse("core:export_job", args=[job_id]))
    assert page.status_code == 200
    expected_rows = 3 if params.get("channel") else 7
    assert page.context["state"] == {
        "status": "done",
        "rows": expected_rows,
        "total": expected_rows,
        "filename": "measurements.xlsx",
        "error": "",
        "erasures": 0,  # no erasure since the job started
    }
    assert reverse("core:export_download", args=[job_id]) in page.content.decode()
    download = client.get(reverse("core:export_download", args=[job_id]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="measurements.xlsx"'
    body = b"".join(download.streaming_content)
    assert _cells(body) == _cells(b"".join(direct.streaming_content))
    assert len(_cells(body)) == expected_rows + 1
    assert _cells(body)[1][1] == "'=Team one"  # neutralised as in every export


def test_the_job_reports_its_progress_as_it_writes(cco, measurements, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_PROGRESS_ROWS", 3)
    seen: list[dict] = []
    real = export_jobs._set

    def recording(user_id, job_id, state, **changes):
        seen.append({**state, **changes})
        return real(user_id, job_id, state, **changes)

    monkeypatch.setattr(export_jobs, "_set", recording)
    job_id = export_jobs.start_job(user_id=cco.pk, path=URL, query="_export=xlsx", filename="measurements.xlsx")

    assert [(s["status"], s["rows"], s["total"]) for s in seen] == [
        ("queued", 0, None),
        ("running", 0, None),
        ("running", 0, 7),
        ("running", 3, 7),
        ("running", 6, 7),
        ("done", 7, 7),
    ]
    assert default_storage.exists(export_jobs.file_name(job_id))


def test_the_page_shows_the_rows_written_while_the_job_runs(client, cco):
    client.force_login(cco)
    job_id = "0" * 32
    state = {"status": "running", "rows": 5000, "total": 20000, "filename": "m.xlsx", "error": ""}
    export_jobs._set(cco.pk, job_id, state)

    page = client.get(reverse("core:export_job", args=[job_id]))

    assert page.status_code == 200 and page.context["percent"] == 25
    html = page.content.decode()
    assert 'http-equiv="refresh"' in html and 'value="25"' in html and "5000 of 20000 rows written" in html
    assert client.get(reverse("core:export_download", args=[job_id])).status_code == 404  # not ready


def test_another_users_job_is_unknown_to_them(client, cco, measurements, settings, mfa_off):
    settings.CENTRIC_EXPORT_XLSX_JOB_ROWS = 2
    client.force_login(cco)
    job_id = _job_id(client.get(URL, {"_export": "xlsx"}))
    other = UserFactory(email="other-cco@example.com", roles=[Role.CCO])
    client.force_login(other)

    assert client.get(reverse("core:export_job", args=[job_id])).status_code == 404
    assert client.get(reverse("core:export_download", args=[job_id])).status_code == 404
    client.logout()
    assert client.get(reverse("core:export_download", args=[job_id])).status_code == 302  # to the login page


def test_a_job_for_someone_no_longer_allowed_fails_and_writes_nothing(client, measurements, mfa_off):
    employee = UserFactory(email="employee@example.com", roles=[Role.EMPLOYEE])  # may not list measurements
    job_id = export_jobs.start_job(user_id=employee.pk, path=URL, query="_export=xlsx", filename="m.xlsx")

    state = export_jobs.job_state(employee.pk, job_id)
    assert state is not None and state["status"] == "failed" and state["error"] == "PermissionDenied"
    assert not default_storage.exists(export_jobs.file_name(job_id))
    client.force_login(employee)
    page = client.get(reverse("core:export_job", args=[job_id]))
    assert page.status_code == 500 and "The export failed (PermissionDenied)" in page.content.decode()


def test_a_small_xlsx_export_is_still_sent_at_once(client, cco, measurements):
    client.force_login(cco)
    response = client.get(URL, {"_export": "xlsx"})
    assert response.status_code == 200 and len(_cells(b"".join(response.streaming_content))) == 8


def test_a_job_id_is_checked_before_it_reaches_the_storage(client, cco):
    client.force_login(cco)
    assert client.get("/exports/..%2F..%2Fsecrets/").status_code == 404
    with pytest.raises(ValueError):
        export_jobs.file_name("../x")


def test_purge_deletes_only_workbooks_older_than_a_day():
    old = default_storage.save(export_jobs.file_name("a" * 32), ContentFile(b"old"))
    new = default_storage.save(export_jobs.file_name("b" * 32), ContentFile(b"new"))
    long_ago = (dt.datetime.now() - dt.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(old), (long_ago, long_ago))
    try:
        assert export_jobs.purge_stale() == 1
        assert not default_storage.exists(old) and default_storage.exists(new)
    finally:
        default_storage.delete(new)


def _erase_someone(django_capture_on_commit_callbacks) -> None:
    from core.erasure import erase_person

    admin = UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    UserFactory(email="anna@example.com", name="Anna Berg")
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(email="anna@example.com", actor=admin, reason="Request 9")


def test_an_erasure_deletes_every_workbook_and_the_job_page_says_to_export_again(
    client, cco, measurements, settings, mfa_off, django_capture_on_commit_callbacks
):
    """Any list can name the erased person and a workbook cannot be scrubbed: every one goes, mid-download too."""
    settings.CENTRIC_EXPORT_XLSX_JOB_ROWS = 2
    client.force_login(cco)
    job_id = _job_id(client.get(URL, {"_export": "xlsx"}))
    name = export_jobs.file_name(job_id)
    assert default_storage.exists(name)

    _erase_someone(django_capture_on_commit_callbacks)

    assert not default_storage.exists(name)
    page = client.get(reverse("core:export_job", args=[job_id]))
    assert page.status_code == 200 and page.context["state"]["status"] == "discarded"
    assert "a person's data was erased after the export started" in page.content.decode()
    assert reverse("core:export_download", args=[job_id]) not in page.content.decode()
    assert client.get(reverse("core:export_download", args=[job_id])).status_code == 404
    later = _job_id(client.get(URL, {"_export": "xlsx"}))  # exporting again works as before
    assert client.get(reverse("core:export_job", args=[later])).context["state"]["status"] == "done"
    assert client.get(reverse("core:export_download", args=[later])).status_code == 200


def test_a_job_still_writing_when_a_person_is_erased_deletes_its_own_workbook(
    cco, measurements, monkeypatch, mfa_off, django_capture_on_commit_callbacks
):
    """The erasure lists the folder before this job saves its file; the job sees the erasure and deletes it."""
    real = export_jobs.write_xlsx

    def erasing_meanwhile(*args, **kwargs):
        written = real(*args, **kwargs)
        _erase_someone(django_capture_on_commit_callbacks)
        return written

    monkeypatch.setattr(export_jobs, "write_xlsx", erasing_meanwhile)
    job_id = export_jobs.start_job(user_id=cco.pk, path=URL, query="_export=xlsx", filename="measurements.xlsx")

    assert export_jobs.job_state(cco.pk, job_id)["status"] == "discarded"
    assert not default_storage.exists(export_jobs.file_name(job_id))
