"""REST API for scorecards: scoped per user, period parameter, schema without warnings."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from .scorecard_helpers import measure, period, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def scored(team_a, team_b):
    p = period("2026-09")
    target("fcr", p, 70, 65, 60)
    measure(team_a, "fcr", "2026-09-01", numerator=50, denominator=100)
    measure(team_b, "fcr", "2026-09-01", numerator=80, denominator=100)


def test_lead_lists_only_their_team(api, scored, lead_a):
    api.force_authenticate(lead_a)
    response = api.get("/api/v1/scorecards/", {"period": "2026-09"})
    assert response.status_code == 200
    assert [row["team"] for row in response.json()["results"]] == ["team-a"]
    fcr = next(line for line in response.json()["results"][0]["lines"] if line["kpi_code"] == "fcr")
    assert (fcr["actual"], fcr["status"], fcr["score"], fcr["target"]) == ("50.0", "red", "0.0", "70.0000")


def test_cco_retrieves_any_team_and_others_get_404(api, scored, cco, lead_a):
    api.force_authenticate(cco)
    assert api.get("/api/v1/scorecards/team-b/", {"period": "2026-09"}).json()["composite"] == "100.0"
    api.force_authenticate(lead_a)
    assert api.get("/api/v1/scorecards/team-b/", {"period": "2026-09"}).status_code == 404


def test_hr_and_anonymous_are_refused(api, scored, recruiter):
    assert api.get("/api/v1/scorecards/").status_code in (401, 403)
    api.force_authenticate(recruiter)
    assert api.get("/api/v1/scorecards/").status_code == 403


def test_bad_period_is_a_400(api, scored, cco):
    api.force_authenticate(cco)
    response = api.get("/api/v1/scorecards/", {"period": "September"})
    assert response.status_code == 400 and "period" in response.json()


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/scorecards/{slug}/" in (tmp_path / "schema.yaml").read_text()
