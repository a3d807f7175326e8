"""Every write in hiring: rubrics, positions, candidates, applications, decisions, interviews and scorecards.

Each function takes keyword-only arguments, runs in one transaction and leaves an audit entry whose
payload holds ids and codes only, never a candidate's personal data. Privacy (export, erasure and the
retention job) lives in `hiring.privacy`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record, snapshot

from .models import (
    Application,
    Candidate,
    Competency,
    Decision,
    HireRating,
    HireReview,
    Interview,
    Position,
    Rating,
    Rubric,
    RubricVersion,
    Scorecard,
)

HIRE_REVIEW_AFTER_DAYS = 90
COMPETENCY_FIELDS = (
    "key",
    "name",
    "description",
    "weight",
    "anchor_1",
    "anchor_2",
    "anchor_3",
    "anchor_4",
    "anchor_5",
    "questions",
    "order",
)
POSITION_FIELDS = ("title", "team", "rubric_version", "bar_score", "hiring_manager", "status", "opened_on")
CANDIDATE_FIELDS = ("name", "email", "phone", "source", "has_consent", "retain_until", "notes")


class NotAssigned(PermissionDenied):
    """Only an interviewer assigned to the interview may submit its scorecard."""


def retention_days() -> int:
    return int(settings.HIRING_CANDIDATE_RETENTION_DAYS)


# --- rubrics -------------------------------------------------------------------------------------------


def create_rubric(*, actor, name: str, description: str = "", competencies: Sequence[Mapping[str, Any]] = ()) -> Rubric:
    """A new rubric with a draft version 1 holding the given competencies."""
    with transaction.atomic():
        rubric = Rubric.objects.create(name=name, description=description)
        version = RubricVersion.objects.create(rubric=rubric, number=1)
        for order, data in enumerate(competencies):
            Competency.objects.create(version=version, **{"order": order, **data})
        record(actor=actor, action="hiring.rubric.created", obj=rubric, after={"version": version.pk})
    return rubric


def save_competencies(
    *, actor, version: RubricVersion, rows: Iterable[Mapping[str, Any]], delete_ids: Iterable[int] = ()
) -> RubricVersion:
    """Create, update and delete competencies of a draft version. `rows` carry `id` for existing ones."""
    with transaction.atomic():
        version = RubricVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_published:
            raise ValidationError(_("A published rubric version cannot change; create a new version."))
        existing = {c.pk: c for c in version.competencies.all()}
        before = {pk: snapshot(c, list(COMPETENCY_FIELDS)) for pk, c in existing.items()}
        deleted = [pk for pk in delete_ids if pk in existing]
        Competency.objects.filter(pk__in=deleted).delete()
        for data in rows:
            values = {k: data[k] for k in COMPETENCY_FIELDS if k in data}
            pk = data.get("id")
            if pk and pk in existing and pk not in deleted:
                for name, value in values.items():
                    setattr(existing[pk], name, value)
                existing[pk].save()
            elif not pk:
                Competency.objects.create(version=version, **values)
        after = {c.pk: snapshot(c, list(COMPETENCY_FIELDS)) for c in version.competencies.all()}
        record(actor=actor, action="hiring.rubric.edited", obj=version, before=before, after=after)
    return version


def publish_rubric_version(*, actor, version: RubricVersion) -> RubricVersion:
    """Freeze a draft version so positions can pin it. Publishing twice is a no-op."""
    with transaction.atomic():
        version = RubricVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_published:
            return version
        if not version.competencies.exists():
            raise ValidationError(_("Add at least one competency before publishing."))
        version.status = RubricVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        record(
            actor=actor,
            action="hiring.rubric.published",
            obj=version,
            before={"status": "draft"},
            after={"status": "published"},
        )
    return version


def new_rubric_version(*, actor, version: RubricVersion) -> RubricVersion:
    """A draft copy of `version` numbered after the latest; returns the existing draft if one is open."""
    with transaction.atomic():
        rubric = Rubric.objects.select_for_update().get(pk=version.rubric_id)
        draft = rubric.versions.filter(status=RubricVersion.Status.DRAFT).first()
        if draft is not None:
            return draft
        number = (rubric.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        copy = RubricVersion.objects.create(rubric=rubric, number=number)
        Competency.objects.bulk_create(
            Competency(version=copy, **{name: getattr(c, name) for name in COMPETENCY_FIELDS})
            for c in version.competencies.all()
        )
        record(actor=actor, action="hiring.rubric.versioned", obj=copy, after={"copied_from": version.pk})
    return copy


# --- positions and candidates -------------------------------------------------------------------------


def save_position(
    *, actor, data: Mapping[str, Any], interviewers: Iterable, position: Position | None = None
) -> Position:
    """Create or update a position; it must pin a published rubric version."""
    rubric_version = data["rubric_version"]
    if not rubric_version.is_published:
        raise ValidationError({"rubric_version": _("Pin a published rubric version.")})
    with transaction.atomic():
        if position is None:
            position = Position(**{k: data[k] for k in POSITION_FIELDS if k in data})
            before = None
        else:
            position = Position.objects.select_for_update().get(pk=position.pk)
            before = {**snapshot(position, list(POSITION_FIELDS)), "interviewers": _ids(position.interviewers.all())}
            if (
                position.rubric_version_id != rubric_version.pk
                and position.applications.filter(interviews__scorecards__isnull=False).exists()
            ):
                raise ValidationError({"rubric_version": _("Scorecards exist for this position; keep its rubric.")})
            for name in POSITION_FIELDS:
                if name in data:
                    setattr(position, name, data[name])
        position.full_clean()
        position.save()
        position.interviewers.set(interviewers)
        after = {**snapshot(position, list(POSITION_FIELDS)), "interviewers": _ids(interviewers)}
        record(actor=actor, action="hiring.position.saved", obj=position, before=before, after=after)
    return position


def _ids(objs: Iterable) -> list[int]:
    return sorted(o.pk for o in objs)


def save_candidate(
    *, actor, data: Mapping[str, Any], candidate: Candidate | None = None, cv=None, today: dt.date | None = None
) -> Candidate:
    """Create or update a candidate; the retention date defaults to today plus the retention setting.

    The audit entry names the changed fields only, never their values (personal data stays erasable).
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        is_new = candidate is None
        if candidate is None:
            candidate = Candidate()
            old: dict[str, Any] = {name: getattr(candidate, name) for name in CANDIDATE_FIELDS}
        else:
            candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
            if candidate.is_anonymised:
                raise ValidationError(_("This candidate was anonymised; their record cannot be edited."))
            old = {name: getattr(candidate, name) for name in CANDIDATE_FIELDS}
        for name in CANDIDATE_FIELDS:
            if name in data:
                setattr(candidate, name, data[name])
        if not candidate.retain_until:
            candidate.retain_until = today + dt.timedelta(days=retention_days())
        if candidate.has_consent and not old["has_consent"]:
            candidate.consent_recorded_at = timezone.now()
        if not candidate.has_consent:
            candidate.consent_recorded_at = None
        if cv is not None:
            if candidate.cv:
                _delete_file_on_commit(candidate.cv.name)
            candidate.cv = cv
        candidate.full_clean()
        candidate.save()
        changed = sorted(n for n in CANDIDATE_FIELDS if old[n] != getattr(candidate, n)) + (["cv"] if cv else [])
        record(
            actor=actor,
            action="hiring.candidate.created" if is_new else "hiring.candidate.changed",
            obj=candidate,
            after={"fields": changed},
        )
    return candidate


def _delete_file_on_commit(name: str) -> None:
    from django.core.files.storage import default_storage

    transaction.on_commit(lambda: default_storage.delete(name))


def create_application(
    *, actor, candidate: Candidate, position: Position, applied_on: dt.date, notes: str = ""
) -> Application:
    """Apply a candidate to a position (once: applying again returns the existing application)."""
    if candidate.is_anonymised:
        raise ValidationError(_("An anonymised candidate cannot apply."))
    with transaction.atomic():
        application, created = Application.objects.get_or_create(
            candidate=candidate, position=position, defaults={"applied_on": applied_on, "notes": notes}
        )
        keep_until = applied_on + dt.timedelta(days=retention_days())
        if created and candidate.retain_until < keep_until:
            Candidate.objects.filter(pk=candidate.pk).update(retain_until=keep_until)
            candidate.retain_until = keep_until
        if created:
            record(
                actor=actor,
                action="hiring.application.created",
                obj=application,
                after={"candidate": candidate.pk, "position": position.pk, "stage": application.stage},
            )
    return application


# --- decisions --------------------------------------------------------------------------------------


def decide(
    *, actor, application: Application, to_stage: str, reason: str, today: dt.date | None = None
) -> Decision | None:
    """A person moves an application to a stage with a reason. Moving to the current stage does nothing.

    Closed stages (hired, rejected, withdrawn) are final. Scores inform, never decide: nothing here reads them.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this decision.")})
    if to_stage not in Application.Stage.values:
        raise ValidationError({"to_stage": _("Unknown stage.")})
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.stage == to_stage:
            return None
        if application.is_closed:
            raise ValidationError(
                _("This application is already %(stage)s; it cannot move.") % {"stage": application.get_stage_display()}
            )
        from_stage = application.stage
        application.stage = to_stage
        application.hired_on = (today or timezone.localdate()) if to_stage == Application.Stage.HIRED else None
        application.save(update_fields=["stage", "hired_on"])
        decision = Decision.objects.create(
            application=application, from_stage=from_stage, to_stage=to_stage, decided_by=actor, reason=reason
        )
        record(
            actor=actor,
            action="hiring.application.decided",
            obj=application,
            before={"stage": from_stage},
            after={"stage": to_stage, "decision": decision.pk},
            reason=reason,
        )
    return decision


# --- interviews and scorecards -----------------------------------------------------------------------


def schedule_interview(
    *, actor, application: Application, scheduled_at: dt.datetime, interviewers: Sequence, title: str = ""
) -> Interview:
    """Plan an interview of an open application with one or more assigned interviewers."""
    if not interviewers:
        raise ValidationError({"interviewers": _("Assign at least one interviewer.")})
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.is_closed:
            raise ValidationError(_("This application is closed; no more interviews."))
        interview = Interview.objects.create(
            application=application,
            scheduled_at=scheduled_at,
            title=title or Interview._meta.get_field("title").default,
        )
        interview.interviewers.set(interviewers)
        record(
            actor=actor,
            action="hiring.interview.scheduled",
            obj=interview,
            after={"application": application.pk, "interviewers": _ids(interviewers)},
        )
    return interview


@dataclass(frozen=True)
class RatingEntry:
    """What an interviewer enters for one competency: a rating 1-5 or None (not assessed) and the evidence."""

    rating: int | None
    evidence: str = ""


def submit_scorecard(
    *,
    interviewer,
    interview: Interview,
    recommendation: str,
    ratings: Mapping[int, RatingEntry],
    summary: str = "",
) -> Scorecard:
    """Record an assigned interviewer's scorecard; one per interviewer per interview, final once submitted."""
    if recommendation not in Scorecard.Recommendation.values:
        raise ValidationError({"recommendation": _("Choose an overall recommendation.")})
    with transaction.atomic():
        interview = Interview.objects.select_for_update().select_related("application__position").get(pk=interview.pk)
        if not interview.interviewers.filter(pk=interviewer.pk).exists():
            raise NotAssigned(_("Only an interviewer assigned to this interview may submit its scorecard."))
        if interview.scorecards.filter(interviewer=interviewer).exists():
            raise ValidationError(_("You have already submitted your scorecard for this interview."))
        competencies = list(Competency.objects.filter(version_id=interview.application.position.rubric_version_id))
        unknown = set(ratings) - {c.pk for c in competencies}
        if unknown:
            raise ValidationError(_("Ratings refer to competencies outside this position's rubric."))
        for entry in ratings.values():
            if entry.rating is not None and not 1 <= entry.rating <= 5:
                raise ValidationError(_("Ratings run from 1 to 5."))
        if all(ratings.get(c.pk, RatingEntry(None)).rating is None for c in competencies):
            raise ValidationError(_("Rate at least one competency."))
        try:
            with transaction.atomic():
                scorecard = Scorecard.objects.create(
                    interview=interview, interviewer=interviewer, recommendation=recommendation, summary=summary
                )
        except IntegrityError as exc:  # a double submit raced past the check above
            raise ValidationError(_("You have already submitted your scorecard for this interview.")) from exc
        Rating.objects.bulk_create(
            Rating(
                scorecard=scorecard,
                competency=c,
                rating=ratings.get(c.pk, RatingEntry(None)).rating,
                evidence=ratings.get(c.pk, RatingEntry(None)).evidence,
            )
            for c in competencies
        )
        record(
            actor=interviewer,
            action="hiring.scorecard.submitted",
            obj=scorecard,
            after={
                "interview": interview.pk,
                "recommendation": recommendation,
                "ratings": {c.key: ratings.get(c.pk, RatingEntry(None)).rating for c in competencies},
            },
        )
    return scorecard


def hire_review_due_on(application: Application) -> dt.date | None:
    if application.hired_on is None:
        return None
    return application.hired_on + dt.timedelta(days=HIRE_REVIEW_AFTER_DAYS)


def record_hire_review(
    *,
    actor,
    application: Application,
    ratings: Mapping[int, int],
    comment: str = "",
    today: dt.date | None = None,
) -> HireReview:
    """The lead's 90-day rating of a hire on the position's rubric; one per hire."""
    today = today or timezone.localdate()
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("position").get(pk=application.pk)
        due = hire_review_due_on(application)
        if application.stage != Application.Stage.HIRED or due is None:
            raise ValidationError(_("Only hires can be reviewed."))
        if today < due:
            raise ValidationError(_("The 90-day review opens on %(day)s.") % {"day": due.isoformat()})
        if HireReview.objects.filter(application=application).exists():
            raise ValidationError(_("This hire has already been reviewed."))
        competencies = list(Competency.objects.filter(version_id=application.position.rubric_version_id))
        missing = [c.name for c in competencies if c.pk not in ratings]
        if missing:
            raise ValidationError(_("Rate every competency: %(names)s.") % {"names": ", ".join(missing)})
        if any(not 1 <= r <= 5 for r in ratings.values()):
            raise ValidationError(_("Ratings run from 1 to 5."))
        review = HireReview.objects.create(
            application=application, reviewed_by=actor, reviewed_on=today, comment=comment
        )
        HireRating.objects.bulk_create(
            HireRating(review=review, competency=c, rating=ratings[c.pk]) for c in competencies
        )
        record(
            actor=actor,
            action="hiring.hire_review.recorded",
            obj=review,
            after={"application": application.pk, "ratings": {c.key: ratings[c.pk] for c in competencies}},
        )
    return review


def install_standard_rubric(*, actor) -> RubricVersion:
    """The shipped service-orientation rubric, published as version 1; returns the existing one if present."""
    from . import standard_rubric

    with transaction.atomic():
        rubric = Rubric.objects.filter(name=standard_rubric.NAME).first()
        if rubric is None:
            rubric = create_rubric(
                actor=actor,
                name=standard_rubric.NAME,
                description=standard_rubric.DESCRIPTION,
                competencies=standard_rubric.COMPETENCIES,
            )
        version = rubric.versions.order_by("number").first()
        return publish_rubric_version(actor=actor, version=version)
