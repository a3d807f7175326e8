"""Candidate personal data: anonymisation leaves nothing anywhere in the database; export and erase are audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from core.audit import record
from core.models import AuditEntry
from hiring.candidates.privacy import anonymise_candidate, export_candidate_data
from hiring.candidates.services import decide, save_candidate
from hiring.interviews.scores import application_aggregates
from hiring.interviews.services import record_hire_review, schedule_interview
from hiring.models import Application, Candidate, Rating, Scorecard
from hiring.tasks import anonymise_expired_candidates
from tests.factories import UserFactory

from .factories import ApplicationFactory, CandidateFactory, PositionFactory, submit

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Zelda Quixote", "zelda.q@private.example", "+44 7700 900123"
NEEDLES = ("Zelda", "Quixote", "zelda.q", "private.example", "7700 900123")


def _text_hits(needles=NEEDLES):
    """Every (table, column, needle) where any row of any table still holds a needle, cast to text."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                quoted_table = connection.ops.quote_name(table)
                quoted_column = connection.ops.quote_name(column.name)
                for needle in needles:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quoted_table} WHERE CAST({quoted_column} AS TEXT) LIKE %s",  # noqa: S608
                        [f"%{needle}%"],
                    )
                    if cursor.fetchone()[0]:
                        hits.append((table, column.name, needle))
    return hits


@pytest.fixture
def zelda(recruiter, lead_a, team_a):
    """A hired candidate whose personal data is spread over every place it can reach."""
    candidate = save_candidate(
        actor=recruiter,
        data={"name": NAME, "email": EMAIL, "phone": PHONE, "source": "referral", "notes": f"{NAME} called back"},
        cv=ContentFile(b"%PDF Zelda Quixote CV", name="zelda_quixote_cv.pdf"),
        today=dt.date(2025, 1, 1),
    )
    interviewer = UserFactory()
    position = PositionFactory(team=team_a)
    application = ApplicationFactory(
        candidate=candidate, position=position, applied_on=dt.date(2025, 1, 15), notes=f"Referred; {NAME} is keen"
    )
    interview = schedule_interview(
        actor=recruiter,
        application=application,
        scheduled_at=dt.datetime(2025, 2, 1, 10, tzinfo=dt.UTC),
        interviewers=[interviewer],
        title=f"Interview with {NAME}",
    )
    card = submit(interview, interviewer, recommendation="yes", evidence=f"{NAME} told a story", empathy=4, listening=3)
    card.summary = f"Zelda was calm; call {PHONE}"
    card.save()
    decide(actor=recruiter, application=application, to_stage="offer", reason=f"Offer to {NAME}")
    decide(actor=recruiter, application=application, to_stage="hired", reason="Accepted", today=dt.date(2025, 3, 1))
    ratings = {c.pk: 4 for c in position.rubric_version.competencies.all()}
    record_hire_review(
        actor=lead_a, application=application, ratings=ratings, comment=f"{NAME} thrives", today=dt.date(2025, 6, 1)
    )
    LogEntry.objects.log_actions(
        user_id=recruiter.pk, queryset=[candidate], action_flag=CHANGE, change_message=f"Changed {EMAIL}"
    )
    record(actor=recruiter, action="hiring.candidate.note", obj=candidate, reason=f"Called {NAME}")
    candidate.refresh_from_db()
    cv_name = candidate.cv.name
    yield candidate
    default_storage.delete(cv_name)  # tests that do not run the on-commit deletion leave no file behind


def test_anonymisation_leaves_no_personal_data_in_any_table(zelda, recruiter, django_capture_on_commit_callbacks):
    cv_name = zelda.cv.name
    assert default_storage.exists(cv_name)
    assert _text_hits(), "the fixture spreads the personal data"
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_candidate(actor=recruiter, candidate=zelda)
    assert _text_hits() == []
    assert not default_storage.exists(cv_name)


def test_anonymisation_keeps_the_anonymous_scores(zelda, recruiter):
    application = Application.objects.get(candidate=zelda)
    before = application_aggregates(recruiter, [application])[application.pk]
    anonymise_candidate(actor=recruiter, candidate=zelda)
    application.refresh_from_db()
    assert application_aggregates(recruiter, [application])[application.pk] == before
    assert before.score == Decimal("66.7")
    assert sorted(Rating.objects.exclude(rating=None).values_list("rating", flat=True)) == [3, 4]
    assert set(Rating.objects.values_list("evidence", flat=True)) == {""}
    assert Scorecard.objects.get().recommendation == "yes"
    zelda.refresh_from_db()
    assert (zelda.name, zelda.email, zelda.phone, zelda.notes, zelda.cv.name) == (
        f"Anonymised candidate {zelda.pk}",
        "",
        "",
        "",
        "",
    )
    assert zelda.source == "referral"


def test_scheduled_job_anonymises_only_expired_candidates_and_is_safe_to_rerun(
    zelda, django_capture_on_commit_callbacks
):
    keeper = CandidateFactory(name="Kept Person", retain_until=dt.date(2030, 1, 1))
    Candidate.objects.filter(pk=zelda.pk).update(retain_until=dt.date(2025, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        assert anonymise_expired_candidates.delay("2026-01-01").get() == [zelda.pk]
    assert anonymise_expired_candidates.delay("2026-01-01").get() == []
    assert _text_hits() == []
    keeper.refresh_from_db()
    assert keeper.name == "Kept Person"
    assert AuditEntry.objects.filter(action="hiring.candidate.anonymised", reason="retention period ended").count() == 1


def test_candidate_on_retention_day_is_kept():
    candidate = CandidateFactory(retain_until=dt.date(2026, 1, 1))
    assert anonymise_expired_candidates("2026-01-01") == []
    assert anonymise_expired_candidates("2026-01-02") == [candidate.pk]


def test_beat_runs_the_job_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["hiring-anonymise-expired-candidates"]
    assert entry["task"] == "hiring.anonymise_expired_candidates"
    assert entry["schedule"].hour == {3}


def test_export_holds_everything_about_the_candidate_and_is_audited_without_personal_data(zelda, recruiter):
    data = export_candidate_data(actor=recruiter, candidate=zelda)
    assert data["candidate"]["name"] == NAME
    assert data["candidate"]["email"] == EMAIL
    assert data["candidate"]["has_cv"] is True
    [application] = data["applications"]
    assert application["stage"] == "hired"
    assert [d["to_stage"] for d in application["decisions"]] == ["hired", "offer"]
    [interview] = application["interviews"]
    assert interview["scorecards"][0]["ratings"][0] == {
        "competency": "Empathy",
        "rating": 4,
        "evidence": f"{NAME} told a story",
    }
    entry = AuditEntry.objects.get(action="hiring.candidate.exported")
    assert entry.object_id == str(zelda.pk)
    assert entry.after == {"applications": [application["id"]]}


def test_admin_log_keeps_who_and_when_but_not_the_name(zelda, recruiter):
    anonymise_candidate(actor=recruiter, candidate=zelda)
    log = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Candidate))
    assert (log.user_id, log.object_repr, log.change_message) == (recruiter.pk, "[erased]", "")
