"""The Reports page: anonymous, unauthorised and authorised; requests scoped to the user's own teams."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import GeneratedReport
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
URL = reverse("reports:report_request")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(URL, {"kind": "board_report", "board_report-period": "2026-09"}).status_code == 302
    assert not GeneratedReport.objects.exists()


def test_lead_sees_only_own_team_and_no_board_report(client, lead_a, team_a, team_b):
    client.force_login(lead_a)
    response = client.get(URL, {"period": "2026-09"})
    assert response.status_code == 200
    forms = response.context["forms"]
    assert set(forms) == {"team_scorecard", "incentive_statement"}
    assert list(forms["team_scorecard"].fields["team"].queryset) == [team_a]


def test_lead_cannot_ask_for_another_teams_scorecard(client, lead_a, team_b):
    client.force_login(lead_a)
    response = client.post(
        URL, {"kind": "team_scorecard", "team_scorecard-team": "team-b", "team_scorecard-period": "2026-09"}
    )
    assert response.status_code == 400
    assert "team" in response.context["forms"]["team_scorecard"].errors
    assert not GeneratedReport.objects.exists()


def test_lead_cannot_ask_for_the_board_report(client, lead_a):
    client.force_login(lead_a)
    response = client.post(URL, {"kind": "board_report", "board_report-period": "2026-09"})
    assert response.status_code == 403
    assert not GeneratedReport.objects.exists()


def test_unknown_kind_is_404(client, lead_a):
    client.force_login(lead_a)
    assert client.post(URL, {"kind": "nope"}).status_code == 404


def test_lead_asks_for_own_team_and_lands_on_the_progress_page(
    client, lead_a, team_a, django_capture_on_commit_callbacks
):
    client.force_login(lead_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {"kind": "team_scorecard", "team_scorecard-team": "team-a", "team_scorecard-period": "2026-09"}
        )
    report = GeneratedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.requested_by == lead_a and report.parameters == {"team": "team-a", "period": "2026-09"}
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_built_in_process_is_announced_as_ready_not_queued(client, lead_a, team_a):
    # Celery is eager here as in the local demo: the task ran when the request committed.
    client.force_login(lead_a)
    response = client.post(
        URL,
        {"kind": "team_scorecard", "team_scorecard-team": "team-a", "team_scorecard-period": "2026-09"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Your report is ready to download."]
    assert GeneratedReport.objects.get().status == GeneratedReport.Status.DONE


def test_cco_asks_for_the_board_report(client, cco, team_a, django_capture_on_commit_callbacks):
    client.force_login(cco)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"kind": "board_report", "board_report-period": "2026-q3"})
    report = GeneratedReport.objects.get()
    assert response.status_code == 302
    assert report.kind == "board_report" and report.parameters == {"period": "2026-Q3"}


def test_bad_period_is_a_validation_error(client, cco):
    client.force_login(cco)
    response = client.post(URL, {"kind": "board_report", "board_report-period": "2026-13"})
    assert response.status_code == 400
    assert "period" in response.context["forms"]["board_report"].errors


def test_employee_cannot_ask_for_someone_elses_statement(client, employee_a):
    client.force_login(employee_a)
    response = client.post(URL, {"kind": "incentive_statement", "incentive_statement-line": "999"})
    assert response.status_code == 400


def test_page_queries_do_not_grow_with_teams(client, cco, team_a, team_b):
    client.force_login(cco)
    client.get(URL)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for _ in range(10):
        TeamFactory()
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


def test_scorecard_page_has_a_pdf_button(client, lead_a, team_a):
    client.force_login(lead_a)
    html = client.get(reverse("culture:team_scorecard", args=["team-a"]), {"period": "2026-09"}).content.decode()
    assert 'name="team_scorecard-team" value="team-a"' in html
    assert f'action="{URL}"' in html
