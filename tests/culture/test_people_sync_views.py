"""People sync over the web pages, the REST API and the command: access, behaviour, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import AuditEntry
from culture.models import Membership, Person
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory
from users.roles import Role
from users.tokens import issue

pytestmark = pytest.mark.django_db

HEADER = "employee_id,name,email,department,team,role,manager_id,start_date,end_date,effective_date\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def support():
    return TeamFactory(name="Support", slug="support", department=DepartmentFactory(name="Service", slug="service"))


def _file(count: int, start: int = 1) -> bytes:
    lines = [f"E{n},Person {n},p{n}@example.com,Service,Support,member,,2026-01-01,," for n in range(start, count + 1)]
    return (HEADER + "\n".join(lines) + "\n").encode()


def _upload(client, content: bytes, **data):
    data = {"preset": "standard", "separator": "", "effective": "", **data}
    return client.post(reverse("culture:people_sync"), {"file": SimpleUploadedFile("hr.csv", content), **data})


def test_pages_send_anonymous_users_to_login(client):
    response = client.get(reverse("culture:people_sync"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_leads_and_recruiters_may_not_sync_people(client, lead_a, recruiter):
    for user in (lead_a, recruiter):
        client.force_login(user)
        assert client.get(reverse("culture:people_sync")).status_code == 403


def test_admin_role_may_sync_people(client, mfa_off):
    client.force_login(UserFactory(roles=[Role.ADMIN]))
    assert client.get(reverse("culture:people_sync")).status_code == 200


def test_upload_preview_and_confirm_apply_the_file(client, cco, support):
    client.force_login(cco)
    response = _upload(client, _file(3))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "All 3 rows are valid. 3 rows: would change 3 joiners." in page
    assert "Person 2" in page
    assert not Person.objects.exists()
    done = client.post(response["Location"] + "confirm/")
    assert done.status_code == 302
    assert done["Location"] == reverse("culture:person_list")
    assert sorted(Person.objects.values_list("employee_number", flat=True)) == ["E1", "E2", "E3"]
    assert AuditEntry.objects.filter(action="person.join", actor=cco).count() == 3
    # Confirmed uploads are forgotten: a second confirm is a 404.
    assert client.post(response["Location"] + "confirm/").status_code == 404


def test_preview_lists_every_bad_row_and_offers_no_confirm(client, cco, support):
    client.force_login(cco)
    content = (
        _file(2)
        + b"E2,Dup,dup@example.com,Service,Support,member,,,,\nE9,Chief,c@example.com,Service,Support,chief,,,,\n"
    )
    preview = client.get(_upload(client, content)["Location"])
    page = preview.content.decode()
    assert "2 problems found; nothing will be written." in page
    assert "duplicate of row 3" in page
    assert "unknown role (expected member or lead)" in page
    assert "Confirm and apply" not in page


def test_another_users_upload_is_a_404(client, cco, support, mfa_off):
    client.force_login(cco)
    location = _upload(client, _file(1))["Location"]
    client.force_login(UserFactory(email="cco2@example.com", roles=[Role.CCO]))
    assert client.get(location).status_code == 404


def test_preview_query_count_does_not_grow_with_people(client, cco, support):
    client.force_login(cco)
    counts = []
    for size in (5, 60):
        location = _upload(client, _file(size))["Location"]
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(location).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 12


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue(user, name='test')[1]}")
    return client


def test_api_refuses_anonymous_and_unauthorised_callers(lead_a):
    body = {"people": []}
    assert APIClient().post("/api/v1/people/sync/preview/", body, format="json").status_code == 401
    assert _api(lead_a).post("/api/v1/people/sync/apply/", body, format="json").status_code == 403


def test_api_preview_then_apply(cco, support):
    person = {"employee_id": "E7", "name": "Gus", "email": "gus@example.com", "department": "Service"}
    body = {"people": [{**person, "team": "Support", "start_date": "2026-02-01"}]}
    preview = _api(cco).post("/api/v1/people/sync/preview/", body, format="json")
    assert preview.status_code == 200
    assert preview.json()["counts"]["joiner"] == 1
    assert preview.json()["changes"] == [
        {
            "kind": "joiner",
            "row": 1,
            "employee_id": "E7",
            "team": "Service / Support",
            "role": "member",
            "start": "2026-02-01",
            "end": None,
        }
    ]
    assert not Person.objects.exists()
    applied = _api(cco).post("/api/v1/people/sync/apply/", body, format="json")
    assert applied.status_code == 200
    assert applied.json()["applied"] is True
    assert Membership.objects.get(person__employee_number="E7").team == support


def test_api_bad_record_is_a_400_naming_it(cco, support):
    body = {"people": [{"employee_id": "E7", "name": "Gus", "email": "nope"}]}
    response = _api(cco).post("/api/v1/people/sync/apply/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 1, "column": "email", "value": "nope", "reason": "not an email address"}
    ]


def test_command_dry_run_then_apply(tmp_path, support, capsys):
    path = tmp_path / "hr.csv"
    path.write_bytes(_file(2))
    call_command("sync_people", str(path), "--dry-run")
    assert "Dry run: 2 rows: would change 2 joiners." in capsys.readouterr().out
    assert not Person.objects.exists()
    call_command("sync_people", str(path), "--effective", "2026-03-01")
    assert "2 rows: changed 2 joiners." in capsys.readouterr().out
    assert Person.objects.count() == 2


def test_command_names_bad_rows_and_fails(tmp_path, support, capsys):
    anna = PersonFactory(employee_number="E1", email="p1@example.com", name="Person 1")
    MembershipFactory(person=anna, team=support, start=dt.date(2026, 1, 1))
    path = tmp_path / "hr.csv"
    path.write_bytes(HEADER.encode() + b"E1,Person 1,p1@example.com,Service,Support,member,,,2026-13-40,\n")
    with pytest.raises(CommandError, match=r"1 problem\(s\) in 1 rows; nothing was written."):
        call_command("sync_people", str(path))
    assert "row 2, end_date '2026-13-40': no such day" in capsys.readouterr().err
