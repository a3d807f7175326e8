"""REST API: scoped teams, KPI catalogue, bulk measurement upsert; the OpenAPI schema stays clean."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from culture.models import ImportBatch, Measurement
from users.tokens import issue

pytestmark = pytest.mark.django_db

BULK = "/api/v1/measurements/bulk/"


def _client(user=None, token=False):
    client = APIClient()
    if user and token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue(user, name='test')[1]}")
    elif user:
        client.force_authenticate(user)
    return client


def test_anonymous_callers_are_refused():
    assert _client().get("/api/v1/teams/").status_code in (401, 403)
    assert _client().post(BULK, [], format="json").status_code in (401, 403)


def test_teams_are_scoped_to_the_caller(team_a, team_b, lead_a, cco):
    slugs = [t["slug"] for t in _client(lead_a, token=True).get("/api/v1/teams/").json()["results"]]
    assert slugs == ["team-a"]
    assert _client(lead_a).get("/api/v1/teams/team-b/").status_code == 404
    assert len(_client(cco).get("/api/v1/teams/").json()["results"]) == 2


def test_kpi_catalogue_lists_the_standard_kpis(employee_a):
    data = _client(employee_a).get("/api/v1/kpis/nps/").json()
    assert (data["aggregation"], data["scale"], data["is_standard"]) == ("ratio", "100.00", True)


def test_bulk_upsert_writes_all_rows_and_is_idempotent(team_a, lead_a):
    rows = [
        {"team": "team-a", "kpi": "fcr", "date": "2026-04-01", "numerator": 40, "denominator": 50},
        {"team": "team-a", "kpi": "aht", "date": "2026-04-01", "channel": "chat", "value": 0.1, "sample_size": 3},
    ]
    client = _client(lead_a, token=True)
    first = client.post(BULK, rows, format="json")
    assert first.status_code == 200
    assert first.json() | {"batch": None} == {
        "batch": None,
        "dry_run": False,
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    assert str(Measurement.objects.get(kpi__code="aht").value) == "0.100000"
    again = client.post(BULK, rows, format="json").json()
    assert (again["created"], again["unchanged"]) == (0, 2)
    assert ImportBatch.objects.filter(source="api").count() == 2


def test_bulk_upsert_reports_every_bad_row_and_writes_nothing(team_a, team_b, lead_a):
    rows = [
        {"team": "team-a", "kpi": "fcr", "date": "2026-04-01", "numerator": 40, "denominator": 50},
        {"team": "team-b", "kpi": "fcr", "date": "2026-04-01", "numerator": 40, "denominator": 50},
        {"team": "team-a", "kpi": "fcr", "date": "2026-04-02", "numerator": 40, "denominator": -5},
    ]
    response = _client(lead_a).post(BULK, rows, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 2, "column": "team", "value": "team-b", "reason": "unknown team slug, or a team you may not edit"},
        {"row": 3, "column": "denominator", "value": "-5", "reason": "must not be negative"},
    ]
    assert Measurement.objects.count() == 0


def test_bulk_upsert_dry_run_and_bad_bodies(team_a, cco):
    client = _client(cco)
    row = {"team": "team-a", "kpi": "fcr", "date": "2026-04-01", "numerator": 1, "denominator": 2}
    assert client.post(BULK + "?dry_run=true", [row], format="json").json()["created"] == 1
    assert Measurement.objects.count() == 0
    assert client.post(BULK, {"team": "team-a"}, format="json").status_code == 400
    nan = client.post(BULK, b'[{"value": NaN}]', content_type="application/json")
    assert nan.status_code == 400


def test_employees_may_not_upsert(team_a, employee_a):
    assert _client(employee_a).post(BULK, [], format="json").status_code == 403


def test_openapi_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/measurements/bulk/" in (tmp_path / "schema.yml").read_text()
