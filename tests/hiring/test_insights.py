"""Calibration and validity pages, and the hiring filtersets."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, HireRating, HireReview, Interview
from tests.factories import TeamFactory, UserFactory

from .factories import ApplicationFactory, InterviewFactory, PositionFactory, RubricVersionFactory, submit

pytestmark = pytest.mark.django_db


def _panel(position, ratings_by_interviewer):
    interview = InterviewFactory(
        application=ApplicationFactory(position=position), interviewers=list(ratings_by_interviewer)
    )
    for interviewer, rating in ratings_by_interviewer.items():
        submit(interview, interviewer, evidence="e", empathy=rating)
    return interview


def test_calibration_page_shows_each_interviewers_distance_from_the_panel(client, recruiter):
    lenient, steady = UserFactory(name="Lenny"), UserFactory(name="Stella")
    position = PositionFactory()
    _panel(position, {lenient: 5, steady: 3})
    _panel(position, {lenient: 4, steady: 4})
    client.force_login(recruiter)
    rows = {row["interviewer"]: row for row in client.get(reverse("hiring:calibration")).context["table"].data.data}
    assert rows["Lenny"]["mean_distance"] == pytest.approx(1)
    assert str(rows["Lenny"]["mean_offset"]) == "1.00"
    assert rows["Lenny"]["leaning"] == "lenient"
    assert str(rows["Stella"]["mean_offset"]) == "-1.00"
    assert rows["Stella"]["compared_ratings"] == 2


def test_calibration_filters_by_team(client, recruiter):
    a, b = UserFactory(name="Ann"), UserFactory(name="Bob")
    c, d = UserFactory(name="Cid"), UserFactory(name="Dee")
    team = TeamFactory()
    _panel(PositionFactory(team=team), {a: 5, b: 1})
    _panel(PositionFactory(), {c: 3, d: 3})
    client.force_login(recruiter)
    rows = client.get(reverse("hiring:calibration"), {"team": team.pk}).context["table"].data.data
    assert sorted(row["interviewer"] for row in rows) == ["Ann", "Bob"]


def test_calibration_export_is_csv(client, recruiter):
    _panel(PositionFactory(), {UserFactory(name="Ann"): 5, UserFactory(name="Bob"): 1})
    client.force_login(recruiter)
    response = client.get(reverse("hiring:calibration"), {"_export": "csv"})
    lines = response.getvalue().decode().splitlines()
    assert lines[0].startswith("Interviewer,Candidates,Ratings compared,Mean distance from panel")
    assert len(lines) == 3


def _hire_with_review(version, interview_rating, later_rating, interviewer):
    position = PositionFactory(rubric_version=version)
    application = ApplicationFactory(position=position, stage=Application.Stage.HIRED, hired_on=dt.date(2025, 1, 1))
    interview = Interview.objects.create(application=application, scheduled_at=timezone.now())
    interview.interviewers.add(interviewer)
    submit(interview, interviewer, evidence="e", empathy=interview_rating, listening=3, ownership=3)
    review = HireReview.objects.create(
        application=application, reviewed_by=interviewer, reviewed_on=dt.date(2025, 5, 1)
    )
    for competency in version.competencies.all():
        HireRating.objects.create(
            review=review, competency=competency, rating=later_rating if competency.key == "empathy" else 3
        )


def test_validity_page_hides_correlations_below_five_hires(client, recruiter):
    version = RubricVersionFactory()
    interviewer = UserFactory()
    for pair in [(2, 2), (4, 4), (5, 5)]:
        _hire_with_review(version, *pair, interviewer)
    client.force_login(recruiter)
    response = client.get(reverse("hiring:rubric_validity", kwargs={"pk": version.pk}))
    empathy = next(r for r in response.context["rows"] if r.competency.key == "empathy")
    assert (empathy.validity.sample_size, empathy.validity.correlation) == (3, None)
    assert "Not enough hires yet (3 of at least 5)" in response.content.decode()


def test_validity_page_reports_correlation_and_sample_size(client, recruiter):
    version = RubricVersionFactory()
    interviewer = UserFactory()
    for pair in [(1, 2), (2, 1), (3, 3), (4, 5), (5, 4)]:
        _hire_with_review(version, *pair, interviewer)
    client.force_login(recruiter)
    response = client.get(reverse("hiring:rubric_validity", kwargs={"pk": version.pk}))
    rows = {r.competency.key: r.validity for r in response.context["rows"]}
    assert (rows["empathy"].sample_size, str(rows["empathy"].correlation)) == (5, "0.80")
    assert rows["listening"].correlation is None  # every rating was 3: nothing to correlate
    assert "Indicative only: 5 hires" in response.content.decode()


def test_interview_list_filters_upcoming_and_by_position(client, recruiter):
    past = InterviewFactory(scheduled_at=timezone.now() - dt.timedelta(days=2))
    future = InterviewFactory(scheduled_at=timezone.now() + dt.timedelta(days=2))
    client.force_login(recruiter)

    def ids(**params):
        return [
            row.record.pk
            for row in client.get(reverse("hiring:interview_list"), params).context["table"].page.object_list
        ]

    assert ids(upcoming="true") == [future.pk]
    assert ids(position=past.application.position.pk) == [past.pk]


def test_interview_list_shows_my_scorecard_status(client, interviewer_x, interview_a):
    client.force_login(interviewer_x)
    body = client.get(reverse("hiring:interview_list")).content.decode()
    assert "Fill in" in body
    submit(interview_a, interviewer_x, evidence="e", empathy=3)
    assert "Submitted" in client.get(reverse("hiring:interview_list")).content.decode()


def test_comparison_filters_by_stage_and_disagreement(client, recruiter, position_a, interviewer_x, interviewer_y):
    split = _panel(position_a, {interviewer_x: 1, interviewer_y: 4})
    _panel(position_a, {interviewer_x: 3, interviewer_y: 3})
    Application.objects.filter(pk=split.application_id).update(stage="offer")
    client.force_login(recruiter)
    url = reverse("hiring:position_comparison", kwargs={"pk": position_a.pk})
    flagged = client.get(url, {"disagreement": "true"}).context["table"].data.data
    assert [row["disagreement"] for row in flagged] == [["Empathy"]]
    offers = client.get(url, {"stage": ["offer"]}).context["table"].data.data
    assert [row["stage"] for row in offers] == ["Offer"]


def test_position_filter_dropdown_lists_only_visible_positions(client, lead_a, team_a, team_b):
    mine = PositionFactory(team=team_a, title="Mine")
    PositionFactory(team=team_b, title="Secret other team role")
    client.force_login(lead_a)
    response = client.get(reverse("hiring:candidate_list"))
    choices = [str(p) for p in response.context["filter"].form.fields["position"].queryset]
    assert choices == [str(mine)]
    assert "Secret other team role" not in response.content.decode()
