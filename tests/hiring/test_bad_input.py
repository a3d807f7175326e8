"""Bad input on every hiring form: dates, duplicates, fake CVs, missing reasons; and who sees personal data."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from hiring.candidates.checks import retention_after_application, sniff_cv_type
from hiring.candidates.services import create_application, decide, merge_candidates
from hiring.interviews.services import schedule_interview
from hiring.models import Application, Candidate, Interview, Position, Scorecard

from .factories import ApplicationFactory, CandidateFactory, InterviewFactory, PositionFactory, submit

pytestmark = pytest.mark.django_db


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7 a cv", "pdf"),
        (_docx(), "docx"),
        (_odt(), "odt"),
        (b"MZ\x90\x00 an executable", None),
        (b"\x7fELF binary", None),
        (b"PK\x03\x04 not really a zip", None),
        (b"plain words", None),
    ],
)
def test_cv_type_comes_from_the_content(content, kind):
    assert sniff_cv_type(content[:512], content) == kind


def _candidate_post(client, **extra):
    data = {"name": "Jane Roe", "email": "jane@roe.example", "phone": "", "source": "referral", "notes": ""}
    return client.post(reverse("hiring:candidate_create"), {**data, **extra})


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.pdf", b"MZ\x90\x00 an executable named .pdf"),
        ("cv.docx", b"%PDF-1.4 a pdf named .docx"),
        ("cv.txt", b"plain text"),
    ],
)
def test_a_fake_cv_is_refused(client, recruiter, name, content):
    client.force_login(recruiter)
    response = _candidate_post(client, cv=SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert response.status_code == 200
    assert "this file&#x27;s content is not one of them" in response.content.decode()
    assert not Candidate.objects.exists()


def test_a_real_docx_cv_is_accepted(client, recruiter):
    client.force_login(recruiter)
    response = _candidate_post(client, cv=SimpleUploadedFile("cv.docx", _docx()))
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.cv.name.endswith(".docx")
    candidate.cv.delete(save=False)


def test_an_oversized_cv_is_refused(client, recruiter):
    client.force_login(recruiter)
    big = SimpleUploadedFile("cv.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024))
    response = _candidate_post(client, cv=big)
    assert "The CV may be at most 5 MB." in response.content.decode()
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    "extra", [{"email": "JANE@roe.example"}, {"email": "", "phone": "+31-6-5550 1234"}], ids=["email", "phone"]
)
def test_a_duplicate_is_named_and_created_only_when_confirmed(client, recruiter, extra):
    existing = CandidateFactory(name="Janet Roe", email="jane@roe.example", phone="+31 6 5550 1234")
    client.force_login(recruiter)
    response = _candidate_post(client, **extra)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Possible duplicate of Janet Roe (#{existing.pk})" in body
    assert Candidate.objects.count() == 1
    response = _candidate_post(client, create_anyway="on", **extra)
    assert response.status_code == 302
    assert Candidate.objects.count() == 2
    new = Candidate.objects.exclude(pk=existing.pk).get()
    page = client.get(new.get_absolute_url()).content.decode()
    assert "Possible duplicates" in page
    assert reverse("hiring:candidate_merge", kwargs={"pk": new.pk}) in page


def test_merge_moves_applications_anonymises_the_duplicate_and_is_audited(client, recruiter):
    keep = CandidateFactory(name="Jane Roe", email="jane@roe.example", phone="")
    duplicate = CandidateFactory(name="Jane R.", email="jane@roe.example", phone="+31 6 1234 5678")
    application = ApplicationFactory(candidate=duplicate)
    client.force_login(recruiter)
    url = reverse("hiring:candidate_merge", kwargs={"pk": keep.pk})
    assert client.post(url, {"duplicate": duplicate.pk}).status_code == 200  # the confirmation is required
    response = client.post(url, {"duplicate": duplicate.pk, "confirm": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert application.candidate_id == keep.pk
    assert keep.phone == "+31 6 1234 5678"
    assert duplicate.is_anonymised
    entry = AuditEntry.objects.get(action="hiring.candidate.merged")
    assert entry.after == {"merged": duplicate.pk, "applications": [application.pk]}


def test_merge_refuses_two_applications_to_the_same_position(recruiter):
    position = PositionFactory()
    keep, duplicate = CandidateFactory(), CandidateFactory()
    ApplicationFactory(candidate=keep, position=position)
    ApplicationFactory(candidate=duplicate, position=position)
    with pytest.raises(ValidationError):
        merge_candidates(actor=recruiter, keep=keep, duplicate=duplicate)
    assert not Candidate.objects.filter(anonymised_at__isnull=False).exists()


def test_lead_may_not_merge(client, lead_a, team_a):
    keep = ApplicationFactory(position=PositionFactory(team=team_a)).candidate
    client.force_login(lead_a)
    assert client.get(reverse("hiring:candidate_merge", kwargs={"pk": keep.pk})).status_code == 403


def test_retention_beyond_the_policy_is_refused(client, recruiter, settings):
    settings.HIRING_CANDIDATE_RETENTION_DAYS = 30
    client.force_login(recruiter)
    too_late = timezone.localdate() + dt.timedelta(days=31)
    response = _candidate_post(client, retain_until=too_late.isoformat())
    assert "The policy keeps data until" in response.content.decode()
    assert not Candidate.objects.exists()


def test_retention_is_bounded_by_the_policy_from_today():
    today = dt.date(2026, 12, 6)
    assert retention_after_application(dt.date(2099, 12, 31), today, 365) == dt.date(2027, 12, 6)
    assert retention_after_application(dt.date(2026, 6, 1), today, 365) == dt.date(2027, 6, 1)


def test_an_application_dated_in_the_future_is_refused(client, recruiter):
    candidate, position = CandidateFactory(), PositionFactory()
    client.force_login(recruiter)
    response = client.post(
        reverse("hiring:application_create"),
        {"candidate": candidate.pk, "position": position.pk, "applied_on": "2099-12-31"},
    )
    assert "The application date cannot be in the future." in response.content.decode()
    assert not Application.objects.exists()
    with pytest.raises(ValidationError):
        create_application(actor=recruiter, candidate=candidate, position=position, applied_on=dt.date(2099, 12, 31))
    candidate.refresh_from_db()
    assert candidate.retain_until == dt.date(2027, 1, 1)


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("1999-05-01T10:00", "The interview cannot be before the application (2026-02-01)."),
        ("2026-01-31T10:00", "The interview cannot be before the application (2026-02-01)."),
        ("2031-01-01T10:00", "Plan interviews at most 180 days ahead."),
    ],
)
def test_implausible_interview_dates_are_refused(client, recruiter, application_a, interviewer_x, when, message):
    client.force_login(recruiter)
    response = client.post(
        reverse("hiring:interview_create", kwargs={"pk": application_a.pk}),
        {"title": "Panel", "scheduled_at": when, "interviewers": [interviewer_x.pk]},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Interview.objects.exists()


def test_an_interview_needs_an_interviewer_and_a_time(client, recruiter, application_a):
    client.force_login(recruiter)
    response = client.post(reverse("hiring:interview_create", kwargs={"pk": application_a.pk}), {"title": "Panel"})
    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") == 2
    with pytest.raises(ValidationError):
        schedule_interview(actor=recruiter, application=application_a, scheduled_at=timezone.now(), interviewers=[])


def test_no_scorecard_before_its_interview(client, interviewer_x, application_a):
    interview = InterviewFactory(
        application=application_a, interviewers=[interviewer_x], scheduled_at=timezone.now() + dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="has not taken place yet"):
        submit(interview, interviewer_x, empathy=4, evidence="x")
    client.force_login(interviewer_x)
    competency = application_a.position.rubric_version.competencies.first()
    response = client.post(
        reverse("hiring:scorecard_create", kwargs={"pk": interview.pk}),
        {"recommendation": "yes", f"rating_{competency.pk}": "4", f"evidence_{competency.pk}": "calm"},
    )
    assert "has not taken place yet" in response.content.decode()
    assert not Scorecard.objects.exists()


def test_scorecard_form_needs_a_rating_evidence_and_a_recommendation(client, interviewer_x, interview_a):
    client.force_login(interviewer_x)
    competency = interview_a.application.position.rubric_version.competencies.first()
    url = reverse("hiring:scorecard_create", kwargs={"pk": interview_a.pk})
    body = client.post(url, {}).content.decode()
    assert "Rate at least one competency." in body
    body = client.post(url, {"recommendation": "yes", f"rating_{competency.pk}": "4"}).content.decode()
    assert "Note the evidence behind this rating." in body
    body = client.post(url, {"recommendation": "maybe", f"rating_{competency.pk}": "9"}).content.decode()
    assert "Select a valid choice." in body
    assert not Scorecard.objects.exists()


def test_decision_needs_a_stage_and_a_reason(client, recruiter, application_a):
    client.force_login(recruiter)
    url = reverse("hiring:application_decide", kwargs={"pk": application_a.pk})
    body = client.post(url, {"to_stage": "offer", "reason": "   "}).content.decode()
    assert "This field is required." in body  # a blank reason, stripped
    body = client.post(url, {"to_stage": "nonsense", "reason": "ok"}).content.decode()
    assert "Select a valid choice." in body
    application_a.refresh_from_db()
    assert application_a.stage == Application.Stage.INTERVIEW


def test_rubric_form_needs_a_name(client, recruiter):
    client.force_login(recruiter)
    response = client.post(reverse("hiring:rubric_create"), {"name": "", "description": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_erase_without_the_confirmation_changes_nothing(client, recruiter, reauthenticate):
    candidate = CandidateFactory(name="Jane Roe")
    reauthenticate(client, recruiter)
    response = client.post(reverse("hiring:candidate_erase", kwargs={"pk": candidate.pk}), {})
    assert response.status_code == 200
    assert Candidate.objects.get().name == "Jane Roe"


def test_interviewers_outside_hr_see_the_name_and_interview_material_only(client, interviewer_x, interview_a):
    candidate = interview_a.application.candidate
    Candidate.objects.filter(pk=candidate.pk).update(notes="HR-ONLY-NOTE")
    Application.objects.filter(pk=interview_a.application_id).update(notes="HR-APPLICATION-NOTE")
    client.force_login(interviewer_x)
    pages = [
        client.get(candidate.get_absolute_url()).content.decode(),
        client.get(interview_a.application.get_absolute_url()).content.decode(),
        client.get(reverse("hiring:interview_kit", kwargs={"pk": interview_a.pk})).content.decode(),
    ]
    for body in pages:
        assert "Carla Candidate" in body
        for secret in (candidate.email, candidate.phone, "HR-ONLY-NOTE", "HR-APPLICATION-NOTE"):
            assert secret not in body


def test_hr_sees_the_contact_details(client, recruiter, interview_a):
    candidate = interview_a.application.candidate
    client.force_login(recruiter)
    body = client.get(candidate.get_absolute_url()).content.decode()
    assert candidate.email in body
    assert candidate.phone in body


# --- the stage machine and the bar -------------------------------------------------------------------


def test_applied_to_hired_needs_a_reason_for_skipping_the_interviews(recruiter):
    application = ApplicationFactory(stage="applied")
    with pytest.raises(ValidationError, match="without submitted interview scorecards"):
        decide(actor=recruiter, application=application, to_stage="hired", reason="Great CV")
    application.refresh_from_db()
    assert application.stage == "applied"
    decision = decide(
        actor=recruiter, application=application, to_stage="hired", reason="Great CV", exception_reason="Rehire"
    )
    assert decision.exception_reason == "Rehire"
    assert AuditEntry.objects.get(action="hiring.application.decided").after["exception"] == ["skips"]


def test_moves_outside_the_stage_machine_are_refused(recruiter):
    application = ApplicationFactory(stage="offer")
    with pytest.raises(ValidationError, match="cannot move from Offer to Applied"):
        decide(actor=recruiter, application=application, to_stage="applied", reason="Back to start")


def test_hiring_below_the_bar_needs_a_written_reason_shown_in_comparison_and_validity(
    client, recruiter, interviewer_x, interview_a, application_a
):
    submit(interview_a, interviewer_x, recommendation="no", evidence="Rushed the customer", empathy=2, listening=3)
    with pytest.raises(ValidationError, match=r"is below the bar 60\.0"):
        decide(actor=recruiter, application=application_a, to_stage="offer", reason="Closes it for good")
    decide(
        actor=recruiter,
        application=application_a,
        to_stage="offer",
        reason="Closes it for good",
        exception_reason="Trial shift showed the empathy the panel missed",
    )
    decision = decide(
        actor=recruiter, application=application_a, to_stage="hired", reason="Accepted", exception_reason="As before"
    )
    assert decision.below_bar
    client.force_login(recruiter)
    position = application_a.position
    comparison = client.get(reverse("hiring:position_comparison", kwargs={"pk": position.pk})).content.decode()
    assert "Below the bar because" in comparison
    assert "As before" in comparison  # the latest below-bar decision's reason
    validity = client.get(reverse("hiring:rubric_validity", kwargs={"pk": position.rubric_version.pk})).content.decode()
    assert "1 hire was made below the bar" in validity
    assert "As before" in validity


def test_a_blind_decider_must_submit_first(recruiter, application_a, interviewer_x):
    interview = InterviewFactory(application=application_a, interviewers=[recruiter, interviewer_x])
    submit(interview, interviewer_x, evidence="ok", empathy=5, listening=5, ownership=5)
    with pytest.raises(ValidationError, match="Submit your own scorecard"):
        decide(actor=recruiter, application=application_a, to_stage="offer", reason="Go")


# --- layout ------------------------------------------------------------------------------------------


def test_empty_pipeline_columns_say_no_candidates_and_the_stage_filter_is_a_dropdown(client, recruiter, application_a):
    client.force_login(recruiter)
    position = application_a.position
    board = client.get(position.get_absolute_url()).content.decode()
    assert "No candidates" in board
    assert ">None<" not in board
    assert "Withdrawn" in board
    comparison = client.get(reverse("hiring:position_comparison", kwargs={"pk": position.pk}), {"stage": "interview"})
    body = comparison.content.decode()
    assert '<select name="stage"' in body
    assert "multiple" not in body.split('<select name="stage"', 1)[1].split(">", 1)[0]
    assert "Any stage" in body
    assert len(comparison.context["table"].rows) == 1


def _position_post(team, version, manager, **overrides) -> dict:
    data = {
        "title": "Care agent",
        "team": team.pk,
        "rubric_version": version.pk,
        "bar_score": "60",
        "hiring_manager": manager.pk,
        "status": "open",
        "opened_on": timezone.localdate().isoformat(),
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"opened_on": "2099-12-31"}, "The opening date cannot be in the future."),
        ({"opened_on": "1999-01-01"}, "The opening date is before "),
        ({"opened_on": "2026-02-30"}, "Enter a valid date."),
        ({"bar_score": "150"}, "Ensure this value is less than or equal to 100."),
        ({"bar_score": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"title": ""}, "This field is required."),
    ],
)
def test_the_position_form_refuses_implausible_dates_and_bars(client, recruiter, team_a, lead_a, overrides, message):
    from .factories import RubricVersionFactory

    client.force_login(recruiter)
    data = _position_post(team_a, RubricVersionFactory(), lead_a, **overrides)
    response = client.post(reverse("hiring:position_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Position.objects.filter(title=data["title"] or "Care agent").exists()


def test_an_old_position_keeps_its_day_but_cannot_be_moved_to_an_implausible_one(client, recruiter, lead_a):
    """The check runs when the day is set or changed: editing the title of a position opened six years ago
    works; moving its opening into the future does not."""
    position = PositionFactory(opened_on=timezone.localdate() - dt.timedelta(days=6 * 366), hiring_manager=lead_a)
    client.force_login(recruiter)
    url = reverse("hiring:position_update", kwargs={"pk": position.pk})
    data = _position_post(
        position.team, position.rubric_version, lead_a, title="Renamed", opened_on=position.opened_on.isoformat()
    )
    assert client.post(url, data).status_code == 302
    position.refresh_from_db()
    assert position.title == "Renamed"
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(url, {**data, "opened_on": tomorrow})
    assert "The opening date cannot be in the future." in response.content.decode()
    position.refresh_from_db()
    assert position.opened_on == timezone.localdate() - dt.timedelta(days=6 * 366)
