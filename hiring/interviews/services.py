"""Writes to interviews: schedule a panel, submit a blind scorecard, record the 90-day hire review.

Each function takes keyword-only arguments, runs in one transaction and leaves an audit entry whose
payload holds ids and codes only, never a candidate's personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record
from hiring.positions.services import sorted_ids

from ..models import (
    Application,
    Competency,
    HireRating,
    HireReview,
    Interview,
    Rating,
    Scorecard,
    ScorecardDraft,
)

HIRE_REVIEW_AFTER_DAYS = 90
# How far ahead an interview may be planned: further is a typo (2062 for 2026), not a plan.
MAX_DAYS_AHEAD = 180


class NotAssigned(PermissionDenied):
    """Only an interviewer assigned to the interview may submit its scorecard."""


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
        check_interview_time(application, scheduled_at)
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
            after={"application": application.pk, "interviewers": sorted_ids(interviewers)},
        )
        _tell_interviewers(interview, "invite")
    return interview


def reschedule_interview(*, actor, interview: Interview, scheduled_at: dt.datetime, reason: str = "") -> Interview:
    """Move an interview: the interviewers get an updated invitation (same UID, higher SEQUENCE)."""
    with transaction.atomic():
        interview = Interview.objects.select_for_update().select_related("application").get(pk=interview.pk)
        if interview.cancelled_at is not None:
            raise ValidationError(_("This interview was cancelled; schedule a new one."))
        if interview.scorecards.exists():
            raise ValidationError(_("Scorecards are in for this interview; it took place."))
        check_interview_time(interview.application, scheduled_at)
        before = interview.scheduled_at
        interview.scheduled_at = scheduled_at
        interview.sequence += 1
        interview.save(update_fields=["scheduled_at", "sequence"])
        record(
            actor=actor,
            action="hiring.interview.rescheduled",
            obj=interview,
            before={"scheduled_at": before.isoformat()},
            after={"scheduled_at": scheduled_at.isoformat(), "sequence": interview.sequence, "reason": reason},
        )
        _tell_interviewers(interview, "update", reason=reason)
    return interview


def cancel_interview(*, actor, interview: Interview, reason: str = "") -> Interview:
    """Cancel an interview: the interviewers get a METHOD:CANCEL invitation. Safe to run twice."""
    with transaction.atomic():
        interview = Interview.objects.select_for_update().get(pk=interview.pk)
        if interview.cancelled_at is not None:
            return interview
        if interview.scorecards.exists():
            raise ValidationError(_("Scorecards are in for this interview; it took place."))
        interview.cancelled_at = timezone.now()
        interview.sequence += 1
        interview.save(update_fields=["cancelled_at", "sequence"])
        record(
            actor=actor,
            action="hiring.interview.cancelled",
            obj=interview,
            after={"sequence": interview.sequence, "reason": reason},
        )
        _tell_interviewers(interview, "cancel", reason=reason)
    return interview


def _tell_interviewers(interview: Interview, kind: str, reason: str = "") -> None:
    """One email per interviewer and revision (the notify key), with the calendar invitation attached."""
    from core.notifications import notify

    from .invitations import ics_attachment

    attachment = ics_attachment(interview, cancel=kind == "cancel")
    for user in interview.interviewers.all():
        notify(
            recipient=user,
            key=f"hiring.interview.{interview.pk}.{interview.sequence}.{kind}.{user.pk}",
            template="hiring/email/interview",
            context={"interview": interview, "kind": kind, "reason": reason},
            attachments=[attachment],
        )


def check_interview_time(application: Application, scheduled_at: dt.datetime, now: dt.datetime | None = None) -> None:
    """An interview falls on or after the application date and at most MAX_DAYS_AHEAD days from now."""
    now = now or timezone.now()
    if timezone.localdate(scheduled_at) < application.applied_on:
        raise ValidationError(
            {
                "scheduled_at": _("The interview cannot be before the application (%(day)s).")
                % {"day": application.applied_on.isoformat()}
            }
        )
    if scheduled_at > now + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            {"scheduled_at": _("Plan interviews at most %(days)s days ahead.") % {"days": MAX_DAYS_AHEAD}}
        )


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
        if interview.cancelled_at is not None:
            raise ValidationError(_("This interview was cancelled; there is no scorecard to submit."))
        if interview.scorecards.filter(interviewer=interviewer).exists():
            raise ValidationError(_("You have already submitted your scorecard for this interview."))
        if timezone.now() < interview.scheduled_at:
            raise ValidationError(_("The interview has not taken place yet; submit the scorecard after it."))
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
        # The notes become the scorecard: the draft is gone once it is submitted.
        ScorecardDraft.objects.filter(interview=interview, interviewer=interviewer).delete()
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


def save_scorecard_draft(
    *,
    interviewer,
    interview: Interview,
    ratings: Mapping[int, RatingEntry],
    recommendation: str = "",
    summary: str = "",
) -> ScorecardDraft:
    """Keep an assigned interviewer's notes as a draft (theirs alone); refused once their scorecard is in."""
    if recommendation and recommendation not in Scorecard.Recommendation.values:
        raise ValidationError({"recommendation": _("Choose an overall recommendation.")})
    with transaction.atomic():
        interview = Interview.objects.select_for_update().select_related("application__position").get(pk=interview.pk)
        if not interview.interviewers.filter(pk=interviewer.pk).exists():
            raise NotAssigned(_("Only an interviewer assigned to this interview may keep notes on it."))
        if interview.scorecards.filter(interviewer=interviewer).exists():
            raise ValidationError(_("Your scorecard is submitted and final; the draft cannot change it."))
        allowed = set(
            Competency.objects.filter(version_id=interview.application.position.rubric_version_id).values_list(
                "pk", flat=True
            )
        )
        if set(ratings) - allowed:
            raise ValidationError(_("Ratings refer to competencies outside this position's rubric."))
        if any(e.rating is not None and not 1 <= e.rating <= 5 for e in ratings.values()):
            raise ValidationError(_("Ratings run from 1 to 5."))
        entries = {str(pk): {"rating": e.rating, "evidence": e.evidence} for pk, e in sorted(ratings.items())}
        draft, _created = ScorecardDraft.objects.update_or_create(
            interview=interview,
            interviewer=interviewer,
            defaults={"recommendation": recommendation, "summary": summary, "entries": entries},
        )
    return draft


def hire_review_due_on(application: Application) -> dt.date | None:
    """The scheduled review's due day; for a hire from before scheduling, 90 days after the hire date."""
    if application.hired_on is None:
        return None
    scheduled = HireReview.objects.filter(application=application).values_list("due_on", flat=True).first()
    return scheduled or application.hired_on + dt.timedelta(days=HIRE_REVIEW_AFTER_DAYS)


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
        review = HireReview.objects.select_for_update().filter(application=application).first()
        if review is not None and review.is_recorded:
            raise ValidationError(_("This hire has already been reviewed."))
        competencies = list(Competency.objects.filter(version_id=application.position.rubric_version_id))
        missing = [c.name for c in competencies if c.pk not in ratings]
        if missing:
            raise ValidationError(_("Rate every competency: %(names)s.") % {"names": ", ".join(missing)})
        if any(not 1 <= r <= 5 for r in ratings.values()):
            raise ValidationError(_("Ratings run from 1 to 5."))
        if review is None:  # a hire from before reviews were scheduled
            review = HireReview(application=application, due_on=due)
        review.reviewed_by, review.reviewed_on, review.comment = actor, today, comment
        review.save()
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


def schedule_hire_review(*, actor, application: Application, starts_on: dt.date | None = None) -> HireReview:
    """Schedule the 90-day review of a hire, 90 days after their first day (else the hire date); call inside
    the hire's transaction; safe to run twice."""
    if application.stage != Application.Stage.HIRED or application.hired_on is None:
        raise ValidationError(_("Only hires can be reviewed."))
    due = (starts_on or application.hired_on) + dt.timedelta(days=HIRE_REVIEW_AFTER_DAYS)
    review, created = HireReview.objects.get_or_create(application=application, defaults={"due_on": due})
    if created:
        record(actor=actor, action="hiring.hire_review.scheduled", obj=review, after={"due_on": due.isoformat()})
    return review


def remind_due_hire_reviews(*, today: dt.date | None = None) -> int:
    """Email the reviewers (the team's leads and the hiring manager) of each review that fell due; once each.

    The notify key makes a second run (or a second worker) send nothing new. Returns the new reminders queued.
    """
    from core.models import Notification
    from core.notifications import notify
    from culture.models import Membership

    today = today or timezone.localdate()
    queued = 0
    due = (
        HireReview.objects.pending()
        .filter(due_on__lte=today)
        .select_related(
            "application__position__team", "application__position__hiring_manager", "application__candidate"
        )
    )
    for review in due:
        position = review.application.position
        leads = [
            m.person.user
            for m in Membership.objects.current(today)
            .filter(team=position.team, role=Membership.Role.LEAD, person__user__isnull=False)
            .select_related("person__user")
        ]
        reviewers = {u.pk: u for u in [position.hiring_manager, *leads] if u is not None and u.is_active}
        for user in reviewers.values():
            key = f"hiring.hire_review.{review.pk}.due.{user.pk}"
            if Notification.objects.filter(key=key).exists():
                continue
            with transaction.atomic():
                notify(
                    recipient=user,
                    key=key,
                    template="hiring/email/hire_review_due",
                    context={"review": review, "application": review.application},
                )
            queued += 1
    return queued
