"""Writes to candidates and applications: save a candidate (with CV), apply, decide a stage.

Each function takes keyword-only arguments, runs in one transaction and leaves an audit entry whose
payload holds ids and codes only, never a candidate's personal data. Privacy (export,
erasure and the retention job) lives in `hiring.candidates.privacy`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record

from ..models import (
    Application,
    Candidate,
    Decision,
    Position,
)
from . import stages
from .checks import latest_retention, phone_digits, retention_after_application

# A hire's first day: a little in the past (paperwork after the fact) up to a notice period ahead.
MAX_START_DAYS_BACK = 31
MAX_START_DAYS_AHEAD = 184
CANDIDATE_FIELDS = ("name", "email", "phone", "source", "has_consent", "retain_until", "notes")


def retention_days() -> int:
    return int(settings.HIRING_CANDIDATE_RETENTION_DAYS)


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
        limit = latest_retention(today, retention_days())
        if candidate.retain_until > limit and candidate.retain_until != old["retain_until"]:
            raise ValidationError(
                {"retain_until": _("The policy keeps data until %(day)s at the latest.") % {"day": limit.isoformat()}}
            )
        if candidate.has_consent and not old["has_consent"]:
            candidate.consent_recorded_at = timezone.now()
        if not candidate.has_consent:
            candidate.consent_recorded_at = None
        if cv is not None:
            if candidate.cv.name:  # what a FieldFile's truth means
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
    """Apply a candidate to a position (once: applying again returns the existing application).

    The application date is not in the future; retention runs from it, bounded by the policy's limit from
    today (an application dated 2099 once kept a candidate until 2100).
    """
    if candidate.is_anonymised:
        raise ValidationError(_("An anonymised candidate cannot apply."))
    today = timezone.localdate()
    check_applied_on(applied_on, today)
    with transaction.atomic():
        application, created = Application.objects.get_or_create(
            candidate=candidate, position=position, defaults={"applied_on": applied_on, "notes": notes}
        )
        keep_until = retention_after_application(applied_on, today, retention_days())
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


def check_applied_on(applied_on: dt.date, today: dt.date) -> None:
    if applied_on > today:
        raise ValidationError({"applied_on": _("The application date cannot be in the future.")})


# --- duplicates and merging -------------------------------------------------------------------------


def find_duplicates(*, email: str = "", phone: str = "", exclude: Candidate | None = None) -> list[Candidate]:
    """Candidates (not anonymised) with the same email (any case) or the same phone digits."""
    email, digits = (email or "").strip(), phone_digits(phone)
    if not email and len(digits) < 6:
        return []
    rows = Candidate.objects.filter(anonymised_at__isnull=True)
    if exclude is not None and exclude.pk:
        rows = rows.exclude(pk=exclude.pk)
    found = []
    for candidate in rows.only("pk", "name", "email", "phone").order_by("pk"):
        same_email = bool(email) and candidate.email.lower() == email.lower()
        same_phone = len(digits) >= 6 and phone_digits(candidate.phone) == digits
        if same_email or same_phone:
            found.append(candidate)
    return found


def merge_candidates(*, actor, keep: Candidate, duplicate: Candidate) -> Candidate:
    """Fold a duplicate record into `keep`: its applications move over, blank fields are filled from it,
    then the duplicate is anonymised. Audited with ids only."""
    from .privacy import anonymise_candidate

    if keep.pk == duplicate.pk:
        raise ValidationError(_("A candidate cannot be merged with themselves."))
    with transaction.atomic():
        keep = Candidate.objects.select_for_update().get(pk=keep.pk)
        duplicate = Candidate.objects.select_for_update().get(pk=duplicate.pk)
        if keep.is_anonymised or duplicate.is_anonymised:
            raise ValidationError(_("Anonymised candidates cannot be merged."))
        moving = list(Application.objects.filter(candidate=duplicate))
        clash = Application.objects.filter(candidate=keep, position__in=[a.position_id for a in moving])
        if clash.exists():
            raise ValidationError(_("Both records applied to the same position; decide one application first."))
        Application.objects.filter(pk__in=[a.pk for a in moving]).update(candidate=keep)
        for name in ("email", "phone"):
            if not getattr(keep, name):
                setattr(keep, name, getattr(duplicate, name))
        if duplicate.notes:
            keep.notes = "\n\n".join(n for n in (keep.notes, duplicate.notes) if n)
        if not keep.cv and duplicate.cv:
            keep.cv = duplicate.cv.name
            Candidate.objects.filter(pk=duplicate.pk).update(cv="")
        keep.retain_until = max(keep.retain_until, duplicate.retain_until)
        keep.save()
        record(
            actor=actor,
            action="hiring.candidate.merged",
            obj=keep,
            after={"merged": duplicate.pk, "applications": sorted(a.pk for a in moving)},
        )
        anonymise_candidate(actor=actor, candidate=duplicate, reason=f"merged into candidate {keep.pk}")
    return keep


# --- decisions --------------------------------------------------------------------------------------


def decide(
    *,
    actor,
    application: Application,
    to_stage: str,
    reason: str,
    exception_reason: str = "",
    today: dt.date | None = None,
    starts_on: dt.date | None = None,
) -> Decision | None:
    """A person moves an application to a stage with a reason. Moving to the current stage does nothing.

    Closed stages (hired, rejected, withdrawn) are final; moves follow the stage machine (`stages`).
    Scores inform, never decide: skipping the interviews, or offering or hiring below the bar, is
    possible only with a written exception reason, kept on the decision and shown in the comparison.
    A hire schedules its 90-day review, 90 days after `starts_on` (the first day; else the hire date).
    """
    from hiring.interviews.reads import is_blind
    from hiring.interviews.scores import panel_aggregate_for_decision

    exception_reason = (exception_reason or "").strip()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this decision.")})
    if to_stage not in Application.Stage.values:
        raise ValidationError({"to_stage": _("Unknown stage.")})
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("position").get(pk=application.pk)
        if application.stage == to_stage:
            return None
        if application.is_closed:
            raise ValidationError(
                _("This application is already %(stage)s; it cannot move.") % {"stage": application.get_stage_display()}
            )
        from_stage = application.stage
        if not stages.is_allowed(from_stage, to_stage):
            raise ValidationError(
                {
                    "to_stage": _("An application cannot move from %(from)s to %(to)s.")
                    % {"from": application.get_stage_display(), "to": Application.Stage(to_stage).label}
                }
            )
        if is_blind(actor, application):
            raise ValidationError(_("Submit your own scorecard for this application before deciding on it."))
        aggregate = panel_aggregate_for_decision(application)
        why = stages.needs_exception_reason(
            from_stage, to_stage, scorecards=aggregate.scorecard_count, meets_bar=aggregate.meets_bar
        )
        if why and not exception_reason:
            messages = {
                "skips": _("Offering or hiring without submitted interview scorecards needs a written reason."),
                "below_bar": _("The panel's score %(score)s is below the bar %(bar)s: give the reason to go ahead.")
                % {"score": aggregate.score, "bar": application.position.bar_score},
            }
            raise ValidationError({"exception_reason": [messages[w] for w in why]})
        application.stage = to_stage
        application.hired_on = (today or timezone.localdate()) if to_stage == Application.Stage.HIRED else None
        application.save(update_fields=["stage", "hired_on"])
        decision = Decision.objects.create(
            application=application,
            from_stage=from_stage,
            to_stage=to_stage,
            decided_by=actor,
            reason=reason,
            below_bar="below_bar" in why,
            exception_reason=exception_reason if why else "",
        )
        record(
            actor=actor,
            action="hiring.application.decided",
            obj=application,
            before={"stage": from_stage},
            after={"stage": to_stage, "decision": decision.pk, **({"exception": why} if why else {})},
            reason=reason,
        )
        if to_stage == Application.Stage.HIRED:
            from hiring.interviews.services import schedule_hire_review

            schedule_hire_review(actor=actor, application=application, starts_on=starts_on)
    return decision


def hire(
    *,
    actor,
    application: Application,
    reason: str,
    starts_on: dt.date,
    email: str,
    employee_number: str = "",
    exception_reason: str = "",
    today: dt.date | None = None,
) -> Decision:
    """Hire in one action: the decision (stage machine and bar rules), the employee (created or linked by
    email) with a membership in the position's team from `starts_on`, and the 90-day review scheduled.

    One transaction: a refused step (below the bar without a reason, a closed period, an employee number
    taken) leaves nothing behind. Audited by each step, ids only.
    """
    from culture.org.services import add_to_team

    today = today or timezone.localdate()
    if starts_on < today - dt.timedelta(days=MAX_START_DAYS_BACK) or starts_on > today + dt.timedelta(
        days=MAX_START_DAYS_AHEAD
    ):
        raise ValidationError(
            {
                "starts_on": _("The start falls between %(first)s and %(last)s.")
                % {
                    "first": (today - dt.timedelta(days=MAX_START_DAYS_BACK)).isoformat(),
                    "last": (today + dt.timedelta(days=MAX_START_DAYS_AHEAD)).isoformat(),
                }
            }
        )
    with transaction.atomic():
        decision = decide(
            actor=actor,
            application=application,
            to_stage=Application.Stage.HIRED,
            reason=reason,
            exception_reason=exception_reason,
            today=today,
            starts_on=starts_on,
        )
        if decision is None:
            raise ValidationError(_("This candidate is already hired."))
        application = Application.objects.select_related("candidate", "position__team").get(pk=application.pk)
        membership = add_to_team(
            team=application.position.team,
            email=email,
            name=application.candidate.name,
            employee_number=employee_number,
            start=starts_on,
            actor=actor,
            reason=f"hired through application {application.pk}",
        )
        application.person_id = membership.person_id
        application.save(update_fields=["person"])
        record(
            actor=actor,
            action="hiring.application.hired",
            obj=application,
            after={"person": membership.person_id, "membership": membership.pk, "starts_on": starts_on.isoformat()},
        )
    return decision
