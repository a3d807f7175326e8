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
