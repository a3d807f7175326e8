"""Hiring services: rubric versioning, positions, candidates, decisions, scorecards and 90-day reviews."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from hiring.candidates.services import create_application, decide, save_candidate
from hiring.interviews.services import (
    NotAssigned,
    RatingEntry,
    record_hire_review,
    schedule_interview,
    submit_scorecard,
)
from hiring.models import Application, Competency, Decision, HireReview, RubricVersion, Scorecard
from hiring.positions.services import save_position
from hiring.rubrics.services import (
    install_standard_rubric,
    new_rubric_version,
    publish_rubric_version,
    save_competencies,
)
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


def test_standard_rubric_is_published_with_six_weighted_competencies_once(recruiter):
    version = install_standard_rubric(actor=recruiter)
    assert version.is_published
    assert list(version.competencies.values_list("key", flat=True)) == [
        "empathy",
        "active_listening",
        "ownership",
        "resilience",
        "communication",
        "problem_solving",
    ]
    assert all(c.anchor_1 and c.anchor_5 and len(c.question_list) == 2 for c in version.competencies.all())
    assert install_standard_rubric(actor=recruiter) == version
    assert RubricVersion.objects.count() == 1


def test_published_version_cannot_change(recruiter):
    version = RubricVersionFactory()
    competency = version.competencies.first()
    with pytest.raises(ValidationError, match="published"):
        save_competencies(actor=recruiter, version=version, rows=[{"id": competency.pk, "weight": Decimal(9)}])
    competency.refresh_from_db()
    assert competency.weight == Decimal(2)


def test_new_version_is_a_draft_copy_and_editing_it_leaves_the_original(recruiter):
    version = RubricVersionFactory()
    draft = new_rubric_version(actor=recruiter, version=version)
    assert (draft.number, draft.status) == (2, RubricVersion.Status.DRAFT)
    assert list(draft.competencies.values_list("key", "weight")) == list(
        version.competencies.values_list("key", "weight")
    )
    empathy = draft.competencies.get(key="empathy")
    save_competencies(actor=recruiter, version=draft, rows=[{"id": empathy.pk, "weight": Decimal(3)}])
    assert version.competencies.get(key="empathy").weight == Decimal(2)
    assert draft.competencies.get(key="empathy").weight == Decimal(3)
    assert new_rubric_version(actor=recruiter, version=version) == draft, "one open draft at a time"
    entry = AuditEntry.objects.filter(action="hiring.rubric.edited").get()
    assert entry.before[str(empathy.pk)]["weight"] == "2.00"
    assert entry.after[str(empathy.pk)]["weight"] == "3.00"


def test_publishing_freezes_a_draft_and_twice_is_a_no_op(recruiter):
    draft = new_rubric_version(actor=recruiter, version=RubricVersionFactory())
    publish_rubric_version(actor=recruiter, version=draft)
    published = publish_rubric_version(actor=recruiter, version=draft)
    assert published.is_published
    assert AuditEntry.objects.filter(action="hiring.rubric.published").count() == 1


def test_empty_draft_cannot_be_published(recruiter):
    draft = RubricVersionFactory(status=RubricVersion.Status.DRAFT, published_at=None, competencies=[])
    with pytest.raises(ValidationError, match="at least one competency"):
        publish_rubric_version(actor=recruiter, version=draft)


def test_position_must_pin_a_published_version(recruiter):
    draft = RubricVersionFactory(status=RubricVersion.Status.DRAFT, published_at=None)
    data = {
        "title": "Agent",
        "team": TeamFactory(),
        "rubric_version": draft,
        "bar_score": Decimal(60),
        "hiring_manager": recruiter,
        "opened_on": dt.date(2026, 1, 1),
    }
    with pytest.raises(ValidationError) as error:
        save_position(actor=recruiter, data=data, interviewers=[])
    assert "rubric_version" in error.value.message_dict
    data["rubric_version"] = RubricVersionFactory()
    panel = UserFactory.create_batch(2)
    position = save_position(actor=recruiter, data=data, interviewers=panel)
    assert set(position.interviewers.all()) == set(panel)
    entry = AuditEntry.objects.get(action="hiring.position.saved")
    assert entry.after["interviewers"] == sorted(u.pk for u in panel)


def test_candidate_retention_defaults_from_setting_and_audit_names_fields_not_values(recruiter, settings):
    settings.HIRING_CANDIDATE_RETENTION_DAYS = 30
    candidate = save_candidate(
        actor=recruiter,
        data={"name": "Jane Roe", "email": "jane@roe.example", "source": "referral", "has_consent": True},
        today=dt.date(2026, 3, 1),
    )
    assert candidate.retain_until == dt.date(2026, 3, 31)
    assert candidate.consent_recorded_at is not None
    entry = AuditEntry.objects.get(action="hiring.candidate.created")
    assert entry.after == {"fields": ["email", "has_consent", "name", "retain_until", "source"]}
    assert "Jane" not in str(entry.after) + str(entry.before) + entry.reason


def test_applying_twice_returns_the_same_application_and_extends_retention(recruiter, settings):
    settings.HIRING_CANDIDATE_RETENTION_DAYS = 100
    candidate = CandidateFactory(retain_until=dt.date(2026, 1, 1))
    position = PositionFactory()
    first = create_application(actor=recruiter, candidate=candidate, position=position, applied_on=dt.date(2026, 2, 1))
    again = create_application(actor=recruiter, candidate=candidate, position=position, applied_on=dt.date(2026, 2, 2))
    assert first == again
    candidate.refresh_from_db()
    assert candidate.retain_until == dt.date(2026, 5, 12)


def test_decision_moves_stage_with_reason_and_audits_it(recruiter):
    application = ApplicationFactory(stage=Application.Stage.SCREENING)
    decision = decide(actor=recruiter, application=application, to_stage="interview", reason="Good screen")
    application.refresh_from_db()
    assert application.stage == "interview"
    assert (decision.from_stage, decision.to_stage, decision.decided_by) == ("screening", "interview", recruiter)
    entry = AuditEntry.objects.get(action="hiring.application.decided")
    assert (entry.before, entry.after, entry.reason) == (
        {"stage": "screening"},
        {"stage": "interview", "decision": decision.pk},
        "Good screen",
    )


def test_decision_without_reason_is_refused(recruiter):
    application = ApplicationFactory()
    with pytest.raises(ValidationError, match="reason"):
        decide(actor=recruiter, application=application, to_stage="offer", reason="  ")
    assert not Decision.objects.exists()


def test_deciding_the_current_stage_again_records_nothing(recruiter):
    application = ApplicationFactory(stage="offer")
    assert decide(actor=recruiter, application=application, to_stage="offer", reason="again") is None
    assert not Decision.objects.exists()


def test_hiring_sets_hired_on_and_closed_stages_are_final(recruiter):
    application = ApplicationFactory(stage="offer")
    passing_panel(application)
    decide(actor=recruiter, application=application, to_stage="hired", reason="Accepted", today=dt.date(2026, 3, 2))
    application.refresh_from_db()
    assert application.hired_on == dt.date(2026, 3, 2)
    with pytest.raises(ValidationError, match="cannot move"):
        decide(actor=recruiter, application=application, to_stage="rejected", reason="changed mind")


def test_low_scores_never_reject_automatically(recruiter):
    interview = InterviewFactory()
    submit(interview, interview.interviewers.get(), recommendation="strong_no", empathy=1, listening=1, ownership=1)
    assert Application.objects.get().stage == Application.Stage.INTERVIEW


def test_only_assigned_interviewers_may_submit(recruiter):
    interview = InterviewFactory()
    with pytest.raises(NotAssigned):
        submit(interview, recruiter, empathy=3)
    assert not Scorecard.objects.exists()


def test_one_scorecard_per_interviewer_per_interview():
    interviewer = UserFactory()
    interview = InterviewFactory(interviewers=[interviewer])
    submit(interview, interviewer, empathy=4)
    with pytest.raises(ValidationError, match="already submitted"):
        submit(interview, interviewer, empathy=2)
    assert Scorecard.objects.count() == 1


def test_scorecard_stores_every_competency_with_not_assessed_as_empty():
    interviewer = UserFactory()
    interview = InterviewFactory(interviewers=[interviewer])
    card = submit(interview, interviewer, recommendation="strong_yes", evidence="Calmed an angry caller", empathy=5)
    assert sorted((r.competency.key, r.rating) for r in card.ratings.all()) == [
        ("empathy", 5),
        ("listening", None),
        ("ownership", None),
    ]
    entry = AuditEntry.objects.get(action="hiring.scorecard.submitted")
    assert entry.after["ratings"] == {"empathy": 5, "listening": None, "ownership": None}
    assert "caller" not in str(entry.after)


def test_scorecard_needs_a_rating_and_a_recommendation():
    interviewer = UserFactory()
    interview = InterviewFactory(interviewers=[interviewer])
    with pytest.raises(ValidationError, match="at least one"):
        submit(interview, interviewer)
    with pytest.raises(ValidationError, match="recommendation"):
        submit(interview, interviewer, recommendation="maybe", empathy=3)


def test_scorecard_rejects_competencies_of_another_rubric():
    interviewer = UserFactory()
    interview = InterviewFactory(interviewers=[interviewer])
    foreign = Competency.objects.exclude(version=interview.application.position.rubric_version).first() or (
        RubricVersionFactory().competencies.first()
    )
    with pytest.raises(ValidationError, match="outside"):
        submit_scorecard(
            interviewer=interviewer, interview=interview, recommendation="yes", ratings={foreign.pk: RatingEntry(3)}
        )


def test_interview_needs_an_interviewer_and_an_open_application(recruiter):
    application = ApplicationFactory()
    with pytest.raises(ValidationError):
        schedule_interview(
            actor=recruiter, application=application, scheduled_at=dt.datetime.now(dt.UTC), interviewers=[]
        )
    application.stage = Application.Stage.REJECTED
    application.save()
    with pytest.raises(ValidationError, match="closed"):
        schedule_interview(
            actor=recruiter, application=application, scheduled_at=dt.datetime.now(dt.UTC), interviewers=[recruiter]
        )


def _hire(hired_on):
    application = ApplicationFactory(stage=Application.Stage.HIRED, hired_on=hired_on)
    ratings = {c.pk: 4 for c in application.position.rubric_version.competencies.all()}
    return application, ratings


def test_hire_review_opens_ninety_days_after_the_hire(lead_a):
    application, ratings = _hire(dt.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="opens on 2026-04-01"):
        record_hire_review(actor=lead_a, application=application, ratings=ratings, today=dt.date(2026, 3, 31))
    review = record_hire_review(actor=lead_a, application=application, ratings=ratings, today=dt.date(2026, 4, 1))
    assert review.ratings.count() == 3
    with pytest.raises(ValidationError, match="already"):
        record_hire_review(actor=lead_a, application=application, ratings=ratings, today=dt.date(2026, 4, 2))


def test_hire_review_needs_every_competency_and_a_hire(lead_a):
    application, ratings = _hire(dt.date(2026, 1, 1))
    ratings.popitem()
    with pytest.raises(ValidationError, match="Rate every competency"):
        record_hire_review(actor=lead_a, application=application, ratings=ratings, today=dt.date(2026, 6, 1))
    not_hired = ApplicationFactory()
    with pytest.raises(ValidationError, match="Only hires"):
        record_hire_review(actor=lead_a, application=not_hired, ratings={}, today=dt.date(2026, 6, 1))
    assert not HireReview.objects.exists()


def test_position_edit_is_audited_and_its_rubric_stays_once_scored(recruiter, interview_a, interviewer_x):
    position = interview_a.application.position
    submit(interview_a, interviewer_x, empathy=3)
    data = {"title": "Renamed", "rubric_version": position.rubric_version, "bar_score": Decimal(70)}
    save_position(actor=recruiter, data=data, interviewers=[interviewer_x], position=position)
    entry = AuditEntry.objects.get(action="hiring.position.saved")
    assert (entry.before["title"], entry.after["title"]) == ("Care agent", "Renamed")
    assert entry.after["interviewers"] == [interviewer_x.pk]
    with pytest.raises(ValidationError) as error:
        save_position(
            actor=recruiter, data={**data, "rubric_version": RubricVersionFactory()}, interviewers=[], position=position
        )
    assert "rubric_version" in error.value.message_dict
