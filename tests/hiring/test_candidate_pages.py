"""Candidates, positions and applications over the pages: forms, export with re-authentication, erasure, decisions."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry
from hiring.models import Application, Candidate, Decision, HireReview, Position, RubricVersion
from tests.factories import TeamFactory, UserFactory

from .factories import (
    ApplicationFactory,
    CandidateFactory,
    InterviewFactory,
    PositionFactory,
    RubricVersionFactory,
    passing_panel,
    submit,
)

pytestmark = pytest.mark.django_db


def test_recruiter_creates_a_candidate_with_a_cv_and_standard_retention(client, recruiter, settings):
    settings.HIRING_CANDIDATE_RETENTION_DAYS = 10
    client.force_login(recruiter)
    cv = SimpleUploadedFile("Jane Roe CV.pdf", b"%PDF-1.4 cv", content_type="application/pdf")
    response = client.post(
        reverse("hiring:candidate_create"),
        {"name": "Jane Roe", "email": "jane@roe.example", "phone": "", "source": "referral", "notes": "", "cv": cv},
    )
    candidate = Candidate.objects.get()
    assert response.url == candidate.get_absolute_url()
    assert candidate.retain_until == candidate.created_at.date() + dt.timedelta(days=10)
    assert candidate.cv.name.startswith("hiring/cv/")
    assert "Jane" not in candidate.cv.name
    candidate.cv.delete(save=False)


def test_candidate_form_keeps_input_and_explains_errors(client, recruiter):
    client.force_login(recruiter)
    cv = SimpleUploadedFile("cv.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("hiring:candidate_create"),
        {"name": "Jane Roe", "email": "not-an-email", "source": "referral", "cv": cv},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in body
    assert "Upload the CV as a PDF, DOCX or ODT file; this file&#x27;s content is not one of them." in body
    assert 'value="Jane Roe"' in body
    assert not Candidate.objects.exists()


def test_export_asks_for_reauthentication_first(client, recruiter):
    candidate = CandidateFactory()
    client.force_login(recruiter)
    response = client.get(reverse("hiring:candidate_export", kwargs={"pk": candidate.pk}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not AuditEntry.objects.filter(action="hiring.candidate.exported").exists()


def test_export_after_reauthenticating_downloads_json_and_is_audited(client, recruiter):
    candidate = CandidateFactory(name="Jane Roe")
    ApplicationFactory(candidate=candidate)
    client.force_login(recruiter)
    url = reverse("hiring:candidate_export", kwargs={"pk": candidate.pk})
    reauth = client.get(url).url
    response = client.post(reauth, {"password": "pw-for-tests-1"})
    assert response.url == url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="candidate-{candidate.pk}.json"'
    data = json.loads(response.content)
    assert data["candidate"]["name"] == "Jane Roe"
    assert len(data["applications"]) == 1
    entry = AuditEntry.objects.get(action="hiring.candidate.exported")
    assert entry.actor == recruiter


def test_lead_may_not_export_or_erase(client, lead_a, team_a):
    application = ApplicationFactory(position=PositionFactory(team=team_a))
    client.force_login(lead_a)
    assert client.get(reverse("hiring:candidate_erase", kwargs={"pk": application.candidate.pk})).status_code == 403
    assert (
        client.post(
            reverse("hiring:candidate_erase", kwargs={"pk": application.candidate.pk}), {"confirm": "on"}
        ).status_code
        == 403
    )
    assert Candidate.objects.get().anonymised_at is None


def test_erase_asks_for_reauthentication_first(client, recruiter):
    candidate = CandidateFactory(name="Jane Roe")
    client.force_login(recruiter)
    url = reverse("hiring:candidate_erase", kwargs={"pk": candidate.pk})
    for response in (client.get(url), client.post(url, {"confirm": "on"})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_reauthenticate"))
    assert Candidate.objects.get().anonymised_at is None


def test_erase_asks_for_confirmation_then_anonymises(client, recruiter, reauthenticate):
    candidate = CandidateFactory(name="Jane Roe")
    reauthenticate(client, recruiter)
    url = reverse("hiring:candidate_erase", kwargs={"pk": candidate.pk})
    assert "cannot be undone" in client.get(url).content.decode()
    response = client.post(url, {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Candidate.objects.get().name == "Jane Roe"
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.is_anonymised
    assert candidate.name == f"Anonymised candidate {candidate.pk}"
    assert AuditEntry.objects.get(action="hiring.candidate.anonymised").reason == "candidate request"


def test_anonymised_candidate_cannot_be_edited(client, recruiter):
    candidate = CandidateFactory(anonymised_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    client.force_login(recruiter)
    assert client.get(reverse("hiring:candidate_update", kwargs={"pk": candidate.pk})).status_code == 404


def test_candidate_list_filters_by_search_source_and_position(client, recruiter):
    position = PositionFactory()
    ApplicationFactory(candidate=CandidateFactory(name="Ana Agent", source="referral"), position=position)
    CandidateFactory(name="Bo Board", source="job_board")
    client.force_login(recruiter)

    def names(**params):
        response = client.get(reverse("hiring:candidate_list"), params)
        return [row.record.name for row in response.context["table"].page.object_list]

    assert names(q="ana") == ["Ana Agent"]
    assert names(source="job_board") == ["Bo Board"]
    assert names(position=position.pk) == ["Ana Agent"]


def test_recruiter_creates_a_position_on_a_published_rubric_only(client, recruiter):
    draft = RubricVersionFactory(status=RubricVersion.Status.DRAFT, published_at=None)
    published = RubricVersionFactory()
    team = TeamFactory()
    panel = UserFactory.create_batch(2)
    client.force_login(recruiter)
    data = {
        "title": "Chat agent",
        "team": team.pk,
        "rubric_version": draft.pk,
        "bar_score": "65",
        "hiring_manager": recruiter.pk,
        "status": "open",
        "opened_on": "2026-03-01",
        "interviewers": [u.pk for u in panel],
    }
    response = client.post(reverse("hiring:position_create"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    data["rubric_version"] = published.pk
    response = client.post(reverse("hiring:position_create"), data)
    position = Position.objects.get()
    assert response.url == position.get_absolute_url()
    assert set(position.interviewers.all()) == set(panel)


def test_position_bar_outside_0_to_100_is_explained(client, recruiter):
    client.force_login(recruiter)
    data = {
        "title": "X",
        "team": TeamFactory().pk,
        "rubric_version": RubricVersionFactory().pk,
        "bar_score": "101",
        "hiring_manager": recruiter.pk,
        "status": "open",
        "opened_on": "2026-03-01",
    }
    response = client.post(reverse("hiring:position_create"), data)
    assert "less than or equal to 100" in response.content.decode()


def test_pipeline_groups_applications_by_stage_with_scores(
    client, recruiter, interview_a, interviewer_x, application_a
):
    ApplicationFactory(position=application_a.position, stage="applied", candidate__name="Adam Applied")
    submit(interview_a, interviewer_x, evidence="e", empathy=5, listening=5, ownership=5)
    client.force_login(recruiter)
    response = client.get(application_a.position.get_absolute_url())
    columns = {
        stage: [(a.candidate.name, agg.score) for a, agg in cards]
        for stage, _label, cards in response.context["columns"]
    }
    assert columns["interview"] == [("Carla Candidate", 100)]
    assert columns["applied"] == [("Adam Applied", None)]
    assert "meets bar" in response.content.decode()


def test_application_can_be_added_from_the_form_and_not_twice(client, recruiter):
    candidate, position = CandidateFactory(), PositionFactory()
    client.force_login(recruiter)
    data = {"candidate": candidate.pk, "position": position.pk, "applied_on": "2026-03-01", "notes": ""}
    response = client.post(reverse("hiring:application_create"), data)
    assert response.url == Application.objects.get().get_absolute_url()
    response = client.post(reverse("hiring:application_create"), data)
    assert "already applied" in response.content.decode()


def test_decision_needs_a_reason_and_keeps_the_stage(client, recruiter, application_a):
    passing_panel(application_a)
    client.force_login(recruiter)
    url = reverse("hiring:application_decide", kwargs={"pk": application_a.pk})
    response = client.post(url, {"to_stage": "offer", "reason": " "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(url, {"to_stage": "offer", "reason": "Strong panel"})
    assert response.status_code == 302
    application_a.refresh_from_db()
    assert application_a.stage == "offer"
    assert Decision.objects.get().reason == "Strong panel"


def test_withdrawing_asks_for_confirmation_first(client, recruiter, application_a):
    client.force_login(recruiter)
    url = reverse("hiring:application_decide", kwargs={"pk": application_a.pk})
    response = client.post(url, {"to_stage": "withdrawn", "reason": "Took another job"})
    assert response.status_code == 200
    assert "Yes, move to Withdrawn" in response.content.decode()
    application_a.refresh_from_db()
    assert application_a.stage == "interview"
    client.post(url, {"to_stage": "withdrawn", "reason": "Took another job", "confirmed": "True"})
    application_a.refresh_from_db()
    assert application_a.stage == "withdrawn"


def test_lead_cannot_record_decisions(client, lead_a, application_a):
    client.force_login(lead_a)
    url = reverse("hiring:application_decide", kwargs={"pk": application_a.pk})
    assert client.post(url, {"to_stage": "offer", "reason": "x"}).status_code == 403


def test_recruiter_schedules_an_interview_for_the_panel(client, recruiter, application_a, interviewer_x):
    client.force_login(recruiter)
    url = reverse("hiring:interview_create", kwargs={"pk": application_a.pk})
    assert client.get(url).status_code == 200
    client.post(url, {"title": "Call", "scheduled_at": "2026-04-01T10:00", "interviewers": [interviewer_x.pk]})
    interview = application_a.interviews.get()
    assert list(interview.interviewers.all()) == [interviewer_x]


def test_interview_kit_shows_anchors_and_questions_and_the_scorecard_link(client, interviewer_x, interview_a):
    client.force_login(interviewer_x)
    body = client.get(reverse("hiring:interview_kit", kwargs={"pk": interview_a.pk})).content.decode()
    assert "Outstanding" in body
    assert "Tell me about a time..." in body
    assert reverse("hiring:scorecard_create", kwargs={"pk": interview_a.pk}) in body


def test_lead_rates_a_hire_after_ninety_days(client, lead_a, team_a):
    application = ApplicationFactory(
        position=PositionFactory(team=team_a), stage="hired", hired_on=dt.date.today() - dt.timedelta(days=91)
    )
    client.force_login(lead_a)
    url = reverse("hiring:hirereview_create", kwargs={"pk": application.pk})
    data = {f"rating_{c.pk}": "4" for c in application.position.rubric_version.competencies.all()}
    response = client.post(url, {**data, "comment": "Great"})
    assert response.status_code == 302
    assert HireReview.objects.get().ratings.count() == 3


def test_hire_review_before_ninety_days_is_explained(client, lead_a, team_a):
    application = ApplicationFactory(
        position=PositionFactory(team=team_a), stage="hired", hired_on=dt.date.today() - dt.timedelta(days=10)
    )
    client.force_login(lead_a)
    url = reverse("hiring:hirereview_create", kwargs={"pk": application.pk})
    data = {f"rating_{c.pk}": "4" for c in application.position.rubric_version.competencies.all()}
    # Not offered before it is due (it used to show the form, then refuse to save): back to the application.
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(application.get_absolute_url(), 302)]
    assert "The 90-day review opens on" in response.content.decode()
    assert url not in response.content.decode()
    assert not HireReview.objects.exists()


def test_interviewer_who_is_not_the_lead_may_not_rate_the_hire(client, interviewer_x, interview_a, application_a):
    Application.objects.filter(pk=application_a.pk).update(stage="hired", hired_on=dt.date(2025, 1, 1))
    client.force_login(interviewer_x)
    assert client.get(reverse("hiring:hirereview_create", kwargs={"pk": application_a.pk})).status_code == 403


def test_comparison_sorts_filters_and_exports(client, recruiter, position_a, interviewer_x, reauthenticate):
    scores = {"Low Lou": 1, "High Hal": 5, "Mid Mo": 3}
    for name, rating in scores.items():
        interview = InterviewFactory(
            application=ApplicationFactory(position=position_a, candidate__name=name), interviewers=[interviewer_x]
        )
        submit(interview, interviewer_x, evidence="e", empathy=rating, listening=rating, ownership=rating)
    client.force_login(recruiter)
    url = reverse("hiring:position_comparison", kwargs={"pk": position_a.pk})
    rows = client.get(url, {"sort": "-score"}).context["table"].rows
    ordered = [row.record["candidate"] for row in rows]
    assert ordered == ["High Hal", "Mid Mo", "Low Lou"]
    meets = client.get(url, {"meets_bar": "true"}).context["table"].rows
    assert [row.record["candidate"] for row in meets] == ["High Hal"]
    assert client.get(url, {"_export": "csv"}).url.startswith(reverse("account_reauthenticate"))
    reauthenticate(client, recruiter)
    export = client.get(url, {"_export": "csv", "sort": "score"})
    table = list(csv.reader(io.StringIO(export.getvalue().decode())))
    assert table[0] == [
        "Candidate",
        "Stage",
        "Scorecards",
        "Score (0-100)",
        "Meets bar",
        "Panel disagrees",
        "Recommendations",
        "Empathy",
        "Listening",
        "Ownership",
        "Below the bar because",
    ]
    assert table[1][:5] == ["Low Lou", "Interview", "1", "0.0", "no"]
    assert table[3][:5] == ["High Hal", "Interview", "1", "100.0", "yes"]


@pytest.mark.parametrize("url_name", ["hiring:candidate_list", "hiring:interview_list"])
def test_exports_with_candidate_names_need_reauthentication(client, recruiter, reauthenticate, url_name):
    CandidateFactory(name="Jane Roe")
    client.force_login(recruiter)
    response = client.get(reverse(url_name), {"_export": "csv"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert client.get(reverse(url_name)).status_code == 200, "browsing needs no re-authentication"
    reauthenticate(client, recruiter)
    response = client.get(reverse(url_name), {"_export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')


def test_candidate_export_csv_holds_the_filtered_rows(client, recruiter, reauthenticate):
    CandidateFactory(name="Jane Roe", source="referral")
    CandidateFactory(name="=cmd|calc", source="job_board")
    reauthenticate(client, recruiter)
    response = client.get(reverse("hiring:candidate_list"), {"_export": "csv", "sort": "name"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0][:3] == ["Name", "Email", "Phone"]
    assert [row[0] for row in rows[1:]] == ["'=cmd|calc", "Jane Roe"]


def test_position_list_filters_by_search_team_and_status_and_exports(client, recruiter, team_a, team_b):
    PositionFactory(team=team_a, title="Chat agent")
    PositionFactory(team=team_b, title="Phone agent", status=Position.Status.CLOSED)
    client.force_login(recruiter)

    def titles(**params):
        response = client.get(reverse("hiring:position_list"), params)
        return sorted(row.record.title for row in response.context["table"].page.object_list)

    assert titles(q="chat") == ["Chat agent"]
    assert titles(team=team_b.pk) == ["Phone agent"]
    assert titles(status="open") == ["Chat agent"]
    export = client.get(reverse("hiring:position_list"), {"_export": "xlsx"})
    assert export["Content-Disposition"] == 'attachment; filename="positions.xlsx"'
    assert export.getvalue()[:2] == b"PK"


def test_position_edit_page_shows_the_current_panel(client, recruiter, position_a, interviewer_x):
    client.force_login(recruiter)
    response = client.get(reverse("hiring:position_update", kwargs={"pk": position_a.pk}))
    assert response.status_code == 200
    assert interviewer_x in response.context["form"].fields["interviewers"].initial


@pytest.mark.parametrize(
    "url_name",
    ["hiring:position_create", "hiring:candidate_create", "hiring:rubric_create", "hiring:application_create"],
)
def test_lead_and_cco_may_not_open_create_pages(client, lead_a, cco, url_name):
    for user in (lead_a, cco):
        client.force_login(user)
        assert client.get(reverse(url_name)).status_code == 403


def test_candidate_application_count_is_not_inflated_by_the_position_filter(client, recruiter):
    candidate = CandidateFactory(name="Two Jobs")
    first = ApplicationFactory(candidate=candidate).position
    ApplicationFactory(candidate=candidate)
    client.force_login(recruiter)
    [row] = client.get(reverse("hiring:candidate_list"), {"position": first.pk}).context["table"].page.object_list
    assert row.record.application_count == 2
