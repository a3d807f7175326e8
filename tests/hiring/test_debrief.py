"""The debrief: pure rows and progress, and the page (waiting for N of M, then who said what, disagreements)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hiring.interviews.debrief import Statement, debrief_rows, panel_progress, rating_spread
from tests.factories import UserFactory

from .factories import InterviewFactory, submit

# --- pure -----------------------------------------------------------------------------------------------


def test_rows_put_every_statement_side_by_side_and_flag_a_spread_at_the_threshold():
    statements = [
        ("empathy", Statement("Xena", 5, "Calmed a caller")),
        ("listening", Statement("Xena", None, "")),
        ("empathy", Statement("Yuri", 3, "Interrupted twice")),
        ("listening", Statement("Yuri", 4, "Summarised well")),
        ("unknown", Statement("Yuri", 1, "ignored")),
    ]
    rows = debrief_rows([("empathy", "Empathy"), ("listening", "Listening")], statements, disagreement_spread=2)
    assert [(r.key, r.spread, r.is_disagreement) for r in rows] == [("empathy", 2, True), ("listening", None, False)]
    assert [s.interviewer for s in rows[0].statements] == ["Xena", "Yuri"]
    assert rows[0].statements[1].evidence == "Interrupted twice"


def test_a_spread_below_the_threshold_is_not_a_disagreement():
    statements = [("a", Statement("X", 2, "")), ("a", Statement("Y", 4, ""))]
    assert debrief_rows([("a", "A")], statements, disagreement_spread=3)[0].is_disagreement is False
    assert debrief_rows([("a", "A")], statements, disagreement_spread=2)[0].is_disagreement is True


def test_the_threshold_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        debrief_rows([], [], disagreement_spread=0)


def test_progress_counts_assigned_scorecards_only():
    progress = panel_progress([(1, 10), (1, 11), (2, 10)], [(1, 10), (3, 12)])
    assert (progress.submitted, progress.expected, progress.waiting_for, progress.is_complete) == (1, 3, 2, False)
    assert panel_progress([(1, 10)], [(1, 10)]).is_complete is True
    assert panel_progress([], []).is_complete is False


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.integers(1, 5)), max_size=8))
def test_spread_is_between_0_and_4_or_none_below_two_ratings(ratings):
    spread = rating_spread(ratings)
    given_ratings = [r for r in ratings if r is not None]
    if len(given_ratings) < 2:
        assert spread is None
    else:
        assert spread == max(given_ratings) - min(given_ratings) and 0 <= spread <= 4


# --- the page -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_debrief_waits_for_every_assigned_interviewer(client, recruiter, interview_a, interviewer_x):
    submit(interview_a, interviewer_x, evidence="Calmed a caller", empathy=5)
    client.force_login(recruiter)
    response = client.get(reverse("hiring:application_debrief", args=[interview_a.application_id]))
    assert response.status_code == 200
    assert "Waiting for 1 of 2 scorecards (1 in)" in response.content.decode()
    assert "Calmed a caller" not in response.content.decode()


@pytest.mark.django_db
def test_the_debrief_shows_who_said_what_and_highlights_disagreement(
    client, recruiter, interview_a, interviewer_x, interviewer_y
):
    submit(interview_a, interviewer_x, evidence="Calmed a caller", empathy=5, listening=3)
    submit(interview_a, interviewer_y, recommendation="no", evidence="Interrupted", empathy=2, listening=3)
    client.force_login(recruiter)
    response = client.get(reverse("hiring:application_debrief", args=[interview_a.application_id]))
    page = response.content.decode()
    rows = {row.key: row for row in response.context["rows"]}
    assert (rows["empathy"].spread, rows["empathy"].is_disagreement) == (3, True)
    assert (rows["listening"].spread, rows["listening"].is_disagreement) == (0, False)
    assert "Disagreement: 3 points apart" in page
    assert "Calmed a caller" in page and "Interrupted" in page
    assert "Xena Interviewer" in page and "Yuri Interviewer" in page


@pytest.mark.django_db
def test_a_cancelled_interview_is_not_waited_for(client, recruiter, interview_a, interviewer_x, interviewer_y):
    submit(interview_a, interviewer_x, evidence="e", empathy=4)
    submit(interview_a, interviewer_y, evidence="e", empathy=4)
    InterviewFactory(application=interview_a.application, cancelled_at=timezone.now(), interviewers=[UserFactory()])
    client.force_login(recruiter)
    response = client.get(reverse("hiring:application_debrief", args=[interview_a.application_id]))
    assert response.context["rows"] is not None


@pytest.mark.django_db
def test_the_debrief_follows_the_settings_threshold(
    client, recruiter, interview_a, interviewer_x, interviewer_y, settings
):
    settings.HIRING_DEBRIEF_DISAGREEMENT_SPREAD = 4
    submit(interview_a, interviewer_x, evidence="e", empathy=5)
    submit(interview_a, interviewer_y, evidence="e", empathy=2)
    client.force_login(recruiter)
    response = client.get(reverse("hiring:application_debrief", args=[interview_a.application_id]))
    assert not any(row.is_disagreement for row in response.context["rows"])


@pytest.mark.django_db
def test_interviewers_and_other_teams_leads_get_no_debrief(client, interview_a, interviewer_x, interviewer_y, lead_b):
    submit(interview_a, interviewer_x, evidence="e", empathy=5)
    submit(interview_a, interviewer_y, evidence="e", empathy=2)
    url = reverse("hiring:application_debrief", args=[interview_a.application_id])
    client.force_login(interviewer_x)
    assert client.get(url).status_code == 403
    client.force_login(lead_b)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_the_hiring_managers_lead_sees_the_debrief(client, lead_a, interview_a, interviewer_x, interviewer_y):
    submit(interview_a, interviewer_x, evidence="e", empathy=5)
    submit(interview_a, interviewer_y, evidence="e", empathy=2)
    client.force_login(lead_a)
    response = client.get(reverse("hiring:application_debrief", args=[interview_a.application_id]))
    assert response.status_code == 200 and response.context["rows"]
