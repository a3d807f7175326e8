"""The closed loop: scorecard drafts become the scorecard, hiring makes a team member and schedules the
90-day review, which reminds its reviewers once and is offered only when due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.audit import AuditEntry
from core.models import Notification
from culture.models import Membership, Person
from hiring.candidates.services import hire
from hiring.interviews.reads import own_draft
from hiring.interviews.services import (
    NotAssigned,
    RatingEntry,
    record_hire_review,
    remind_due_hire_reviews,
    save_scorecard_draft,
)
from hiring.models import Application, Decision, HireReview, Scorecard, ScorecardDraft
from tests.factories import MembershipFactory, PersonFactory

from .factories import ApplicationFactory, InterviewFactory, passing_panel, submit

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def _entries(interview, **ratings):
    competencies = {c.key: c for c in interview.application.position.rubric_version.competencies.all()}
    return {competencies[k].pk: RatingEntry(rating=v, evidence=f"{k} notes") for k, v in ratings.items()}


# --- drafts -------------------------------------------------------------------------------------------


def test_a_draft_keeps_partial_notes_and_saving_again_replaces_them(interview_a, interviewer_x):
    save_scorecard_draft(interviewer=interviewer_x, interview=interview_a, ratings=_entries(interview_a, empathy=4))
    draft = save_scorecard_draft(
        interviewer=interviewer_x, interview=interview_a, ratings=_entries(interview_a, listening=2), summary="half"
    )
    assert ScorecardDraft.objects.count() == 1
    assert list(draft.entries.values()) == [{"rating": 2, "evidence": "listening notes"}]
    assert (draft.summary, draft.recommendation) == ("half", "")
    assert not Scorecard.objects.exists()


def test_a_draft_is_invisible_to_everyone_but_its_author(interview_a, interviewer_x, interviewer_y, recruiter, cco):
    save_scorecard_draft(interviewer=interviewer_x, interview=interview_a, ratings=_entries(interview_a, empathy=4))
    assert own_draft(interviewer_x, interview_a.pk) is not None
    for other in (interviewer_y, recruiter, cco):
        assert own_draft(other, interview_a.pk) is None
        assert not ScorecardDraft.objects.visible_to(other).exists()


def test_a_draft_does_not_lift_the_blind_rule(client, interview_a, interviewer_x, interviewer_y):
    submit(interview_a, interviewer_y, evidence="seen", empathy=5)
    save_scorecard_draft(interviewer=interviewer_x, interview=interview_a, ratings=_entries(interview_a, empathy=1))
    assert not Scorecard.objects.visible_to(interviewer_x).exclude(interviewer=interviewer_x).exists()


def test_only_assigned_interviewers_keep_drafts(interview_a, recruiter):
    with pytest.raises(NotAssigned):
        save_scorecard_draft(interviewer=recruiter, interview=interview_a, ratings={})
    assert not ScorecardDraft.objects.exists()


def test_a_draft_refuses_ratings_outside_1_to_5_and_unknown_competencies(interview_a, interviewer_x):
    competency = interview_a.application.position.rubric_version.competencies.first()
    with pytest.raises(ValidationError, match="1 to 5"):
        save_scorecard_draft(
            interviewer=interviewer_x, interview=interview_a, ratings={competency.pk: RatingEntry(rating=7)}
        )
    with pytest.raises(ValidationError, match="outside"):
        save_scorecard_draft(interviewer=interviewer_x, interview=interview_a, ratings={999999: RatingEntry(3)})
    assert not ScorecardDraft.objects.exists()


def test_submitting_turns_the_draft_into_the_scorecard(interview_a, interviewer_x):
    save_scorecard_draft(interviewer=interviewer_x, interview=interview_a, ratings=_entries(interview_a, empathy=4))
    submit(interview_a, interviewer_x, evidence="final", empathy=4, listening=3)
    assert not ScorecardDraft.objects.exists()
    assert Scorecard.objects.get().ratings.filter(rating__isnull=False).count() == 2


def test_after_submitting_the_draft_cannot_change_the_scorecard(interview_a, interviewer_x):
    submit(interview_a, interviewer_x, evidence="final", empathy=4)
    with pytest.raises(ValidationError, match="final"):
        save_scorecard_draft(interviewer=interviewer_x, interview=interview_a, ratings=_entries(interview_a, empathy=1))
    assert not ScorecardDraft.objects.exists()
    assert Scorecard.objects.get().ratings.get(competency__key="empathy").rating == 4


def test_the_scorecard_page_saves_a_draft_without_requiring_anything_and_prefills_it(
    client, interview_a, interviewer_x
):
    empathy = interview_a.application.position.rubric_version.competencies.get(key="empathy")
    client.force_login(interviewer_x)
    url = reverse("hiring:scorecard_create", args=[interview_a.pk])
    response = client.post(url, {"action": "draft", f"evidence_{empathy.pk}": "Calmed an angry caller"})
    assert response.status_code == 302 and response.url == url
    assert not Scorecard.objects.exists()
    page = client.get(url)
    assert "Calmed an angry caller" in page.content.decode()
    assert page.context["form"].initial[f"evidence_{empathy.pk}"] == "Calmed an angry caller"


def test_a_submitted_scorecard_cannot_be_edited_through_the_page(client, interview_a, interviewer_x):
    empathy = interview_a.application.position.rubric_version.competencies.get(key="empathy")
    submit(interview_a, interviewer_x, evidence="final", empathy=4)
    client.force_login(interviewer_x)
    url = reverse("hiring:scorecard_create", args=[interview_a.pk])
    for action in ("submit", "draft"):
        data = {"action": action, "recommendation": "no", f"rating_{empathy.pk}": "1", f"evidence_{empathy.pk}": "x"}
        assert client.post(url, data).status_code == 302
    card = Scorecard.objects.get()
    assert (card.recommendation, card.ratings.get(competency=empathy).rating) == ("yes", 4)
    assert not ScorecardDraft.objects.exists()


# --- hire ---------------------------------------------------------------------------------------------


def _offer(position_a):
    application = ApplicationFactory(position=position_a, stage="offer", candidate__email="new.hire@mail.example")
    passing_panel(application)
    return application


def test_hiring_creates_the_employee_in_the_positions_team_and_schedules_the_review(recruiter, position_a):
    application = _offer(position_a)
    hire(
        actor=recruiter,
        application=application,
        reason="Accepted",
        starts_on=dt.date(2026, 3, 16),
        email="new.hire@centric.example",
        employee_number="E-777",
        today=TODAY,
    )
    application.refresh_from_db()
    person = Person.objects.get(employee_number="E-777")
    assert (application.stage, application.hired_on, application.person) == ("hired", TODAY, person)
    assert (person.name, person.email) == (application.candidate.name, "new.hire@centric.example")
    membership = Membership.objects.get(person=person)
    assert (membership.team, membership.role, membership.start, membership.end) == (
        position_a.team,
        "member",
        dt.date(2026, 3, 16),
        None,
    )
    review = HireReview.objects.get(application=application)
    # 90 days after the first day (2026-03-16), not after the decision: a notice period does not eat into it.
    assert (review.due_on, review.is_recorded) == (dt.date(2026, 6, 14), False)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"hiring.application.decided", "person.join", "hiring.hire_review.scheduled"} <= actions
    assert "hiring.application.hired" in actions
    assert "new.hire" not in str(list(AuditEntry.objects.values_list("after", flat=True)))


def test_hiring_an_existing_employee_links_and_moves_them(recruiter, position_a, team_b):
    person = PersonFactory(email="internal@centric.example")
    old = MembershipFactory(person=person, team=team_b, start=dt.date(2025, 1, 1))
    application = _offer(position_a)
    hire(
        actor=recruiter,
        application=application,
        reason="Internal move",
        starts_on=dt.date(2026, 4, 1),
        email="INTERNAL@centric.example",
        today=TODAY,
    )
    old.refresh_from_db()
    assert old.end == dt.date(2026, 3, 31)
    assert Person.objects.count() == 1
    assert Application.objects.get(pk=application.pk).person == person
    assert Membership.objects.get(person=person, team=position_a.team).start == dt.date(2026, 4, 1)


def test_hiring_below_the_bar_without_a_reason_changes_nothing(recruiter, position_a):
    application = ApplicationFactory(position=position_a, stage="offer")
    interview = InterviewFactory(application=application)
    submit(interview, interview.interviewers.get(), evidence="weak", empathy=2, listening=2, ownership=2)
    kwargs = dict(actor=recruiter, application=application, reason="Need staff", email="a@centric.example")
    with pytest.raises(ValidationError, match="below the bar"):
        hire(**kwargs, starts_on=TODAY, employee_number="E-1", today=TODAY)
    assert (Application.objects.get(pk=application.pk).stage, Person.objects.count()) == ("offer", 0)
    assert not HireReview.objects.exists()
    hire(**kwargs, starts_on=TODAY, employee_number="E-1", exception_reason="Only bilingual applicant", today=TODAY)
    assert Decision.objects.get(to_stage="hired").below_bar is True


def test_a_refused_membership_rolls_the_whole_hire_back(recruiter, position_a):
    PersonFactory(employee_number="E-TAKEN")
    application = _offer(position_a)
    with pytest.raises(ValidationError, match="someone else"):
        hire(
            actor=recruiter,
            application=application,
            reason="Accepted",
            starts_on=TODAY,
            email="fresh@centric.example",
            employee_number="E-TAKEN",
            today=TODAY,
        )
    assert Application.objects.get(pk=application.pk).stage == "offer"
    assert not Decision.objects.filter(to_stage="hired").exists()
    assert not HireReview.objects.exists()


@pytest.mark.parametrize(
    ("starts_on", "number", "message"),
    [
        (TODAY - dt.timedelta(days=32), "E-9", "start falls"),
        (TODAY + dt.timedelta(days=185), "E-9", "start falls"),
        (TODAY, "", "employee number"),
    ],
)
def test_hire_bad_input_is_refused(recruiter, position_a, starts_on, number, message):
    application = _offer(position_a)
    with pytest.raises(ValidationError, match=message):
        hire(
            actor=recruiter,
            application=application,
            reason="Accepted",
            starts_on=starts_on,
            email="x@centric.example",
            employee_number=number,
            today=TODAY,
        )
    assert Application.objects.get(pk=application.pk).stage == "offer"


# --- the 90-day review --------------------------------------------------------------------------------


@pytest.fixture
def hired(recruiter, position_a):
    application = _offer(position_a)
    hire(
        actor=recruiter,
        application=application,
        reason="Accepted",
        starts_on=TODAY,
        email="h@centric.example",
        employee_number="E-5",
        today=TODAY,
    )
    return Application.objects.get(pk=application.pk)


def test_reminders_go_once_to_the_hiring_manager_and_the_lead_when_due(hired, lead_a):
    assert remind_due_hire_reviews(today=dt.date(2026, 5, 30)) == 0
    assert remind_due_hire_reviews(today=dt.date(2026, 5, 31)) == 2
    assert remind_due_hire_reviews(today=dt.date(2026, 6, 1)) == 0
    notes = Notification.objects.filter(key__startswith="hiring.hire_review.")
    assert sorted(n.email for n in notes) == sorted([hired.position.hiring_manager.email, lead_a.email])
    assert "31 May 2026" in notes.first().body


def test_recording_the_review_fills_the_scheduled_one_and_stops_reminders(hired, lead_a):
    ratings = {c.pk: 4 for c in hired.position.rubric_version.competencies.all()}
    record_hire_review(actor=lead_a, application=hired, ratings=ratings, today=dt.date(2026, 6, 2))
    review = HireReview.objects.get()
    assert (review.reviewed_by, review.reviewed_on, review.due_on) == (
        lead_a,
        dt.date(2026, 6, 2),
        dt.date(2026, 5, 31),
    )
    assert remind_due_hire_reviews(today=dt.date(2026, 6, 3)) == 0


def test_the_review_form_is_not_offered_before_it_is_due(client, hired, lead_a, monkeypatch):
    url = reverse("hiring:hirereview_create", args=[hired.pk])
    client.force_login(lead_a)
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2026, 5, 30))
    page = client.get(hired.get_absolute_url()).content.decode()
    assert url not in page and "opens on 31 May 2026" in page
    response = client.get(url)
    assert response.status_code == 302 and response.url == hired.get_absolute_url()
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2026, 5, 31))
    assert url in client.get(hired.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200


def test_the_due_review_is_on_the_reviewers_home_list_from_its_due_day(hired, lead_a, employee_a, monkeypatch):
    from core.due import due_for

    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2026, 5, 30))
    assert [i for i in due_for(lead_a) if i.kind == "hiring.hire_review"] == []
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2026, 6, 2))
    [item] = [i for i in due_for(lead_a) if i.kind == "hiring.hire_review"]
    assert (item.due_on, item.url) == (dt.date(2026, 5, 31), reverse("hiring:hirereview_create", args=[hired.pk]))
    assert hired.candidate.name in item.title
    assert [i for i in due_for(employee_a) if i.kind == "hiring.hire_review"] == []
    assert [i for i in due_for(hired.position.hiring_manager) if i.kind == "hiring.hire_review"]


def test_erasing_the_candidate_removes_drafts_and_blanks_review_reminders(recruiter, hired, interview_a, interviewer_x):
    from hiring.candidates.privacy import anonymise_candidate

    save_scorecard_draft(interviewer=interviewer_x, interview=interview_a, ratings=_entries(interview_a, empathy=3))
    remind_due_hire_reviews(today=dt.date(2026, 6, 1))
    anonymise_candidate(actor=recruiter, candidate=interview_a.application.candidate)
    anonymise_candidate(actor=recruiter, candidate=hired.candidate)
    assert not ScorecardDraft.objects.exists()
    reminders = Notification.objects.filter(key__startswith="hiring.hire_review.")
    assert reminders.exists() and all(n.body == "" for n in reminders)


# --- bad input on the new forms: kept and explained -----------------------------------------------------


def _hire_post(client, application, **overrides):
    data = {
        "reason": "Accepted",
        "exception_reason": "",
        "starts_on": timezone.localdate().isoformat(),
        "email": "hire@centric.example",
        "employee_number": "E-100",
        **overrides,
    }
    return client.post(reverse("hiring:application_hire", args=[application.pk]), data)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reason": "  "}, "reason", "required"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"starts_on": "2026-02-30"}, "starts_on", "valid date"),
        ({"starts_on": "1999-01-01"}, "starts_on", "start falls between"),
        ({"employee_number": ""}, "employee_number", "give the employee number"),
    ],
)
def test_the_hire_form_keeps_input_and_explains_each_error(client, recruiter, position_a, overrides, field, message):
    application = _offer(position_a)
    client.force_login(recruiter)
    response = _hire_post(client, application, **overrides)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert 'value="hire@centric.example"' in response.content.decode() or field == "email"
    assert Application.objects.get(pk=application.pk).stage == "offer" and not Person.objects.exists()


def test_the_hire_form_asks_for_the_reason_to_hire_below_the_bar(client, recruiter, position_a):
    application = ApplicationFactory(position=position_a, stage="offer")
    interview = InterviewFactory(application=application)
    submit(interview, interview.interviewers.get(), evidence="weak", empathy=2, listening=2, ownership=2)
    client.force_login(recruiter)
    page = client.get(reverse("hiring:application_hire", args=[application.pk])).content.decode()
    assert "is below the bar 60.0: hiring needs a written reason" in page
    response = _hire_post(client, application)
    assert "below the bar" in " ".join(response.context["form"].errors["exception_reason"])
    assert Application.objects.get(pk=application.pk).stage == "offer"
    response = _hire_post(client, application, exception_reason="Only bilingual applicant")
    assert response.status_code == 302
    assert Membership.objects.get(team=position_a.team, person__employee_number="E-100")


def test_the_draft_form_refuses_an_unknown_rating_and_keeps_the_notes(client, interview_a, interviewer_x):
    empathy = interview_a.application.position.rubric_version.competencies.get(key="empathy")
    client.force_login(interviewer_x)
    url = reverse("hiring:scorecard_create", args=[interview_a.pk])
    data = {"action": "draft", f"rating_{empathy.pk}": "9", f"evidence_{empathy.pk}": "Kept calm"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors[f"rating_{empathy.pk}"]
    assert "Kept calm" in response.content.decode()
    assert not ScorecardDraft.objects.exists()


def test_the_decision_form_sends_hires_to_the_hire_page(client, recruiter, position_a):
    application = _offer(position_a)
    client.force_login(recruiter)
    response = client.post(
        reverse("hiring:application_decide", args=[application.pk]),
        {"to_stage": "hired", "reason": "Accepted", "confirmed": "on"},
    )
    assert response.status_code == 200 and "to_stage" in response.context["form"].errors
    assert Application.objects.get(pk=application.pk).stage == "offer"


@pytest.mark.parametrize(
    ("rating", "message"),
    [("", "This field is required."), ("6", "Select a valid choice. 6 is not one of the available choices.")],
)
def test_the_review_form_refuses_a_missing_or_impossible_rating(client, hired, lead_a, monkeypatch, rating, message):
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2026, 5, 31))
    competencies = list(hired.position.rubric_version.competencies.all())
    data = {f"rating_{c.pk}": "4" for c in competencies} | {f"rating_{competencies[0].pk}": rating, "comment": "ok"}
    client.force_login(lead_a)
    response = client.post(reverse("hiring:hirereview_create", args=[hired.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HireReview.objects.get(application=hired).is_recorded


def test_the_hire_forms_team_errors_read_in_the_readers_language(client, recruiter, position_a):
    """The membership step's refusals (culture.org.services.add_to_team) are translated like the form's own."""
    application = _offer(position_a)
    recruiter.language = "sv"
    recruiter.save(update_fields=["language"])
    client.force_login(recruiter)
    response = _hire_post(client, application, employee_number="")
    assert response.status_code == 200
    assert response.context["form"].errors["employee_number"] == [
        "Ingen har den här e-postadressen ännu: ange anställningsnumret."
    ]
    assert Application.objects.get(pk=application.pk).stage == "offer"
