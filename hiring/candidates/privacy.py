"""A candidate's personal data: export on request, erasure on request, and anonymisation when retention ends.

What anonymisation removes (everything that is, or could name or describe, the person):
- the candidate's name, email, phone, notes and CV file (deleted from storage once the transaction commits);
- the free text written about them: application notes, decision reasons, interview titles, scorecard
  summaries and per-competency evidence, the 90-day review comment;
- the same free text copied into the audit trail (`AuditEntry.reason` of their records), the Django admin
  log (`object_repr`, `change_message`) and the interview invitations in the email outbox.
What it keeps, anonymous: source, dates, stages, the ratings and recommendations, so that calibration and
rubric validity statistics stay correct. Audit payloads hold ids only by design (see the subdomains' `services`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import record
from core.models import AuditEntry

from ..models import Application, Candidate, Decision, HireReview, Interview, Rating, Scorecard, ScorecardDraft

ERASED = "[erased]"


class ErasureReason:
    REQUEST = "candidate request"
    RETENTION = "retention period ended"


def export_candidate_data(*, actor, candidate: Candidate) -> dict[str, Any]:
    """Everything about a candidate the exporting user may see, as JSON-ready data; audited (ids only).

    Scorecards, ratings and decisions come through the read path: an exporter still to submit their own
    scorecard for one of the candidate's interviews gets none of the panel's views (the blind rule), and the
    export says how many were withheld, so a complete export for the candidate is made by someone else.
    """
    from hiring.interviews.reads import visible_decisions, visible_scorecards_in_full

    applications = list(
        Application.objects.filter(candidate=candidate)
        .select_related("position__team")
        .prefetch_related("interviews")
        .order_by("applied_on", "pk")
    )
    application_ids = [a.pk for a in applications]
    cards_by_interview: dict[int, list[Scorecard]] = {}
    for card in visible_scorecards_in_full(actor, application_ids).order_by("submitted_at", "pk"):
        cards_by_interview.setdefault(card.interview_id, []).append(card)
    decisions_by_application: dict[int, list[Decision]] = {}
    for decision in visible_decisions(actor, application_ids):
        decisions_by_application.setdefault(decision.application_id, []).append(decision)
    shown_cards = sum(len(cards) for cards in cards_by_interview.values())
    shown_decisions = sum(len(rows) for rows in decisions_by_application.values())
    data = {
        "candidate": {
            "id": candidate.pk,
            "name": candidate.name,
            "email": candidate.email,
            "phone": candidate.phone,
            "source": candidate.source,
            "has_consent": candidate.has_consent,
            "consent_recorded_at": _iso(candidate.consent_recorded_at),
            "retain_until": _iso(candidate.retain_until),
            "notes": candidate.notes,
            "has_cv": bool(candidate.cv),
            "created_at": _iso(candidate.created_at),
            "anonymised_at": _iso(candidate.anonymised_at),
        },
        "applications": [
            {
                "id": application.pk,
                "position": application.position.title,
                "team": application.position.team.name,
                "stage": application.stage,
                "applied_on": _iso(application.applied_on),
                "hired_on": _iso(application.hired_on),
                "notes": application.notes,
                "decisions": [
                    {
                        "from_stage": d.from_stage,
                        "to_stage": d.to_stage,
                        "decided_at": _iso(d.decided_at),
                        "reason": d.reason,
                        "below_bar": d.below_bar,
                        "exception_reason": d.exception_reason,
                    }
                    for d in decisions_by_application.get(application.pk, [])
                ],
                "interviews": [
                    {
                        "title": interview.title,
                        "scheduled_at": _iso(interview.scheduled_at),
                        "scorecards": [
                            {
                                "recommendation": card.recommendation,
                                "summary": card.summary,
                                "submitted_at": _iso(card.submitted_at),
                                "ratings": [
                                    {"competency": r.competency.name, "rating": r.rating, "evidence": r.evidence}
                                    for r in card.ratings.all()
                                ],
                            }
                            for card in cards_by_interview.get(interview.pk, [])
                        ],
                    }
                    for interview in application.interviews.all()
                ],
            }
            for application in applications
        ],
        "withheld": {
            "scorecards": Scorecard.objects.filter(interview__application_id__in=application_ids).count() - shown_cards,
            "decisions": Decision.objects.filter(application_id__in=application_ids).count() - shown_decisions,
        },
    }
    record(actor=actor, action="hiring.candidate.exported", obj=candidate, after={"applications": _pks(applications)})
    return data


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _pks(rows) -> list[int]:
    return [row.pk for row in rows]


def anonymise_candidate(*, actor, candidate: Candidate, reason: str = ErasureReason.REQUEST) -> Candidate:
    """Remove every personal field of a candidate and the free text about them; keep anonymous scores.

    Safe to run twice: an anonymised candidate is returned unchanged.
    """
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.is_anonymised:
            return candidate
        cv_name = candidate.cv.name if candidate.cv else ""
        candidate.name = f"Anonymised candidate {candidate.pk}"
        candidate.email = ""
        candidate.phone = ""
        candidate.notes = ""
        candidate.cv = ""
        candidate.anonymised_at = timezone.now()
        candidate.save(update_fields=["name", "email", "phone", "notes", "cv", "anonymised_at"])

        applications = Application.objects.filter(candidate=candidate)
        interviews = Interview.objects.filter(application__in=applications)
        scorecards = Scorecard.objects.filter(interview__in=interviews)
        decisions = Decision.objects.filter(application__in=applications)
        reviews = HireReview.objects.filter(application__in=applications)
        ids = {
            Candidate: [candidate.pk],
            Application: list(applications.values_list("pk", flat=True)),
            Interview: list(interviews.values_list("pk", flat=True)),
            Scorecard: list(scorecards.values_list("pk", flat=True)),
            Decision: list(decisions.values_list("pk", flat=True)),
            HireReview: list(reviews.values_list("pk", flat=True)),
        }
        applications.update(notes="")
        interviews.update(title="Interview")
        scorecards.update(summary="")
        Rating.objects.filter(scorecard__in=scorecards).update(evidence="")
        decisions.update(reason=ERASED)
        decisions.exclude(exception_reason="").update(exception_reason=ERASED)
        reviews.update(comment="")
        # Unsubmitted notes are free text about the candidate with no use once they are gone.
        ScorecardDraft.objects.filter(interview__in=interviews).delete()
        _scrub_trails(ids)
        _scrub_interview_emails(ids[Interview], ids[HireReview])
        if cv_name:
            transaction.on_commit(lambda: default_storage.delete(cv_name))
        record(actor=actor, action="hiring.candidate.anonymised", obj=candidate, reason=reason)
    return candidate


def _scrub_trails(ids: dict[type[models.Model], list[int]]) -> None:
    """Blank the free text of audit and admin-log entries about these rows; who/when/what stays."""
    audit = Q(pk__in=[])
    admin_log = Q(pk__in=[])
    for model, pks in ids.items():
        if not pks:
            continue
        keys = [str(pk) for pk in pks]
        audit |= Q(object_type=model._meta.label_lower, object_id__in=keys)
        admin_log |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=keys)
    AuditEntry.objects.filter(audit).exclude(reason="").update(reason=ERASED)
    LogEntry.objects.filter(admin_log).update(object_repr=ERASED, change_message="")


def _scrub_interview_emails(interview_ids: list[int], review_ids: list[int]) -> None:
    """Invitations and review reminders name the candidate: blank their text; key, recipient and status stay."""
    from core.models import Notification

    about = Q(pk__in=[])
    for pk in interview_ids:
        about |= Q(key__startswith=f"hiring.interview.{pk}.")
    for pk in review_ids:
        about |= Q(key__startswith=f"hiring.hire_review.{pk}.")
    Notification.objects.filter(about).update(subject=ERASED, body="", attachments=[])


def anonymise_expired_candidates(*, today: dt.date) -> list[int]:
    """Anonymise every candidate whose retention date has passed; returns their ids. Safe to run twice."""
    done = []
    for pk in Candidate.objects.expired(today).order_by("pk").values_list("pk", flat=True):
        anonymise_candidate(actor=None, candidate=Candidate(pk=pk), reason=ErasureReason.RETENTION)
        done.append(pk)
    return done
