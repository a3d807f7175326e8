"""Writes for periods, targets and reviews. Keyword-only, no request, atomic, audited, idempotent."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core import audit

from ..models import Department, Kpi, Membership, Period, Person, Review, ReviewAction, ScorecardSnapshot, Target, Team
from .actions import carried_kpi_codes
from .building import build_scorecards
from .calculations import Scorecard
from .closing import checklist_summary, close_checklist, freeze_closing, refresh_snapshot_checksums
from .periods import parse_period
from .scopes import COMPANY, DEPARTMENT, TEAM, load_org
from .status import Status, thresholds_problem

TARGET_FIELDS = ["kpi", "period", "team", "department", "target_value", "on_track_from", "off_track_from"]
TARGET_FIELDS += ["weight", "min_sample", "planned_volume", "phased_from", "noise_by_interval"]

logger = logging.getLogger(__name__)


FOUR_PLACES, TWO_PLACES = Decimal("0.0001"), Decimal("0.01")


class PeriodClosedError(ValidationError):
    """A write into a closed period: the message says which period and what to do."""


def _period_message(period: Period) -> str:
    when = f" on {period.closed_at:%Y-%m-%d}" if period.closed_at else ""
    return (
        f"Period {period.code} was closed{when}; its figures are frozen. "
        "Corrections belong in an open period (ask the CCO if this one must change)."
    )


def _period_row(period: Period | str) -> Period:
    """The Period for a row or a code, created (open) when a code has none yet."""
    if isinstance(period, Period):
        return period
    row, _created = Period.objects.get_or_create_for_code(period)
    return row


def ensure_period_open(when: Period | dt.date | str) -> None:
    """Raise PeriodClosedError if `when` (a Period, a period code or a day) falls in a closed period.

    For a day this checks every closed period covering it (month, quarter and year), the same rule as
    `Period.objects.closed().covering(day)` used by the imports.
    """
    if isinstance(when, Period):
        period = Period.objects.filter(pk=when.pk).first() or when
        if period.is_closed:
            raise PeriodClosedError(_period_message(period), code="period_closed")
        return
    if isinstance(when, str):
        span = parse_period(when)
        closed = Period.objects.closed().filter(start__lte=span.end, end__gte=span.start).order_by("start").first()
    else:
        closed = Period.objects.closed().covering(when).order_by("start").first()
    if closed is not None:
        raise PeriodClosedError(_period_message(closed), code="period_closed")


def _lock_open_period(period: Period) -> Period:
    """Lock the period row (close_period locks it too, so a write and a close never interleave) and refuse it
    when it or any period overlapping it (its quarter, its year) is closed."""
    locked = Period.objects.select_for_update().get(pk=period.pk)
    ensure_period_open(locked.code)  # it, or a quarter or year around it, may be closed
    return locked


def payload_checksum(payload: dict) -> str:
    """SHA-256 of the canonical JSON of a snapshot payload (sorted keys, no spaces)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _snapshot_rows(period: Period, level: str, cards: dict[int | None, Scorecard]) -> list[ScorecardSnapshot]:
    rows = []
    for object_id, card in cards.items():
        payload = card.to_json()
        rows.append(
            ScorecardSnapshot(
                period=period,
                level=level,
                team_id=object_id if level == TEAM else None,
                department_id=object_id if level == DEPARTMENT else None,
                payload=payload,
                composite=card.composite,
                checksum=payload_checksum(payload),
            )
        )
    return rows


@transaction.atomic
def close_period(*, code: str, actor, reason: str = "", reason_required_for_open_items: bool = False) -> Period:
    """Freeze every team's, department's and the company's scorecard and mark the period closed.

    The comparison periods' scorecards, the reviews and the checklist's open items are frozen beside
    them in a new `PeriodClosing` version (`closing.freeze_closing`). With `reason_required_for_open_items`
    (the close page) a close with open items needs a reason, which the closing keeps and reports print.
    Refuses a period that is already closed. Safe to re-run after a failure: snapshots are replaced in
    the same transaction that closes the period, so either all of it lands or none.
    """
    period, _created = Period.objects.get_or_create_for_code(code)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        raise PeriodClosedError(
            gettext("Period %(code)s is already closed.") % {"code": period.code}, code="already_closed"
        )
    open_items = checklist_summary(close_checklist(period))
    if open_items and reason_required_for_open_items and not reason.strip():
        raise ValidationError(
            gettext("The checklist has open items: give a reason to close anyway."), code="reason_required"
        )
    org = load_org()
    rows: list[ScorecardSnapshot] = []
    rows += _snapshot_rows(period, TEAM, build_scorecards(period_code=period.code, ids=list(org.team_department)))
    rows += _snapshot_rows(period, DEPARTMENT, build_scorecards(period_code=period.code, level=DEPARTMENT))
    rows += _snapshot_rows(period, COMPANY, build_scorecards(period_code=period.code, level=COMPANY))
    ScorecardSnapshot.objects.filter(period=period).delete()
    ScorecardSnapshot.objects.bulk_create(rows, batch_size=500)
    before = audit.snapshot(period, ["status", "closed_at", "closed_by"])
    period.status = Period.Status.CLOSED
    period.closed_at = timezone.now()
    period.closed_by = actor if actor is not None and actor.is_authenticated else None
    period.save(update_fields=["status", "closed_at", "closed_by"])
    closing = freeze_closing(period=period, rows=rows, org=org, actor=actor, reason=reason, checklist=open_items)
    company = next(row for row in rows if row.level == COMPANY)
    closed_code, snapshot_count = period.code, len(rows)
    transaction.on_commit(
        lambda: logger.info(
            "period %s closed: %d snapshots",
            closed_code,
            snapshot_count,
            extra={"event": "period.closed", "period": closed_code, "snapshots": snapshot_count},
        )
    )
    audit.record(
        actor=actor,
        action="period.close",
        obj=period,
        before=before,
        after={
            **audit.snapshot(period, ["status", "closed_at", "closed_by"]),
            "snapshots": len(rows),
            "company_checksum": company.checksum,
            "version": closing.version,
            "closing_checksum": closing.checksum,
            "open_items": open_items,
        },
        reason=reason,
    )
    return period


@transaction.atomic
def resnapshot_period(*, code: str, actor, reason: str) -> Period:
    """Recompute a closed period's frozen scorecards with the current KPI definitions. Explicit and audited.

    Closed periods keep the figures (and the definitions) they were frozen with; this replaces them, for
    example after churn and retention became stock KPIs. The audit entry keeps the old and new company
    checksum, composite and definition. Only the CCO (or an operator at the command line) calls it.
    """
    if not reason.strip():
        raise ValidationError(gettext("Say why the period's frozen figures are recomputed."))
    if actor is not None and actor.is_authenticated and not actor.is_executive:
        raise PermissionDenied(gettext("Only the CCO may re-snapshot a closed period."))
    period = Period.objects.select_for_update().get(pk=Period.objects.get_or_create_for_code(code)[0].pk)
    if not period.is_closed:
        raise ValidationError(
            gettext("Period %(code)s is open: its scorecards are computed live, not frozen.") % {"code": period.code}
        )
    old = ScorecardSnapshot.objects.filter(period=period)
    old_company = old.filter(level=COMPANY).first()
    before = {
        "definitions": sorted(set(old.values_list("definition", flat=True))),
        "company_checksum": old_company.checksum if old_company else None,
        "company_composite": str(old_company.composite) if old_company else None,
    }
    org = load_org()
    rows: list[ScorecardSnapshot] = []
    team_cards = build_scorecards(period_code=period.code, ids=list(org.team_department), fresh=True)
    rows += _snapshot_rows(period, TEAM, team_cards)
    rows += _snapshot_rows(period, DEPARTMENT, build_scorecards(period_code=period.code, level=DEPARTMENT, fresh=True))
    rows += _snapshot_rows(period, COMPANY, build_scorecards(period_code=period.code, level=COMPANY, fresh=True))
    old.delete()
    ScorecardSnapshot.objects.bulk_create(rows, batch_size=500)
    refresh_snapshot_checksums(period=period, rows=rows)
    company = next(row for row in rows if row.level == COMPANY)
    audit.record(
        actor=actor,
        action="period.resnapshot",
        obj=period,
        before=before,
        after={
            "definitions": [ScorecardSnapshot.Definition.STOCK.value],
            "company_checksum": company.checksum,
            "company_composite": str(company.composite),
            "snapshots": len(rows),
        },
        reason=reason,
    )
    return period


# --- targets


@dataclass(frozen=True)
class TargetValues:
    """The editable part of a target."""

    target_value: Decimal
    on_track_from: Decimal
    off_track_from: Decimal
    weight: Decimal = Decimal(1)
    min_sample: int = 0
    planned_volume: Decimal | None = None
    noise_by_interval: bool = False


def validate_target(*, kpi: Kpi, team: Team | None, department: Department | None, values: TargetValues) -> None:
    """ValidationError (by field) unless the scope is exclusive, thresholds are ordered and weight >= 0."""
    errors: dict[str, list[str]] = {}
    if team is not None and department is not None:
        errors.setdefault("__all__", []).append("A target applies to a team or a department, not both.")
    problem = thresholds_problem(kpi.direction, values.target_value, values.on_track_from, values.off_track_from)
    if problem:
        errors.setdefault("on_track_from", []).append(problem)
    if values.weight < 0:
        errors.setdefault("weight", []).append("The weight cannot be negative.")
    if values.min_sample < 0:
        errors.setdefault("min_sample", []).append("The minimum sample cannot be negative.")
    if values.planned_volume is not None and values.planned_volume < 0:
        errors.setdefault("planned_volume", []).append("The planned volume cannot be negative.")
    if errors:
        raise ValidationError(errors)


def _save_target(
    *,
    actor,
    kpi: Kpi,
    period: Period,
    team: Team | None,
    department: Department | None,
    values: TargetValues,
    reason,
    phased_from: Target | None = None,
) -> tuple[Target, bool]:
    """Create or update one target; `phased_from` marks a month phased from an annual target (None: set
    for the month itself, which a later phasing leaves alone)."""
    validate_target(kpi=kpi, team=team, department=department, values=values)
    existing = (
        Target.objects.select_for_update().filter(kpi=kpi, period=period, team=team, department=department).first()
    )
    fields = {
        "target_value": values.target_value.quantize(FOUR_PLACES),
        "on_track_from": values.on_track_from.quantize(FOUR_PLACES),
        "off_track_from": values.off_track_from.quantize(FOUR_PLACES),
        "weight": values.weight.quantize(TWO_PLACES),
        "min_sample": values.min_sample,
        "planned_volume": None if values.planned_volume is None else values.planned_volume.quantize(FOUR_PLACES),
        "phased_from": phased_from,
        "noise_by_interval": values.noise_by_interval,
    }
    if existing is None:
        target = Target.objects.create(kpi=kpi, period=period, team=team, department=department, **fields)
        audit.record(actor=actor, action="target.create", obj=target, after=audit.snapshot(target, TARGET_FIELDS))
        return target, True
    before = audit.snapshot(existing, TARGET_FIELDS)
    for name, value in fields.items():
        setattr(existing, name, value)
    after = audit.snapshot(existing, TARGET_FIELDS)
    if after != before:
        existing.save()
        audit.record(actor=actor, action="target.update", obj=existing, before=before, after=after, reason=reason)
    return existing, False


@transaction.atomic
def save_target(
    *,
    actor,
    kpi: Kpi,
    period: Period | str,
    values: TargetValues,
    team: Team | None = None,
    department: Department | None = None,
    target: Target | None = None,
    reason: str = "",
) -> Target:
    """Create or update the target for (KPI, period, scope); moving an edited target re-keys it. Audited."""
    period = _lock_open_period(_period_row(period))
    if target is not None:
        current = Target.objects.select_for_update().get(pk=target.pk)
        _lock_open_period(current.period)
        same_key = (current.kpi_id, current.period_id, current.team_id, current.department_id) == (
            kpi.pk,
            period.pk,
            team.pk if team else None,
            department.pk if department else None,
        )
        if not same_key:
            delete_target(actor=actor, target=current, reason=reason)
    saved, _created = _save_target(
        actor=actor, kpi=kpi, period=period, team=team, department=department, values=values, reason=reason
    )
    return saved


@transaction.atomic
def delete_target(*, actor, target: Target, reason: str = "") -> None:
    """Remove a target (the next less specific one applies again). Audited."""
    current = Target.objects.select_for_update().get(pk=target.pk)
    _lock_open_period(current.period)
    before = audit.snapshot(current, TARGET_FIELDS)
    pk = current.pk
    current.delete()
    current.pk = pk
    audit.record(actor=actor, action="target.delete", obj=current, before=before, reason=reason)


@transaction.atomic
def save_scope_targets(
    *,
    actor,
    period: Period | str,
    team: Team | None = None,
    department: Department | None = None,
    rows: Iterable[tuple[Kpi, TargetValues | None]],
    reason: str = "",
) -> dict[str, int]:
    """Bulk edit one scope's targets, one row per KPI; None removes that KPI's target at this scope.

    All rows are validated first; nothing is written unless every row is valid.
    """
    period = _lock_open_period(_period_row(period))
    rows = list(rows)
    errors = []
    for kpi, values in rows:
        if values is None:
            continue
        try:
            validate_target(kpi=kpi, team=team, department=department, values=values)
        except ValidationError as error:
            errors.append(ValidationError(f"{kpi.code}: {'; '.join(error.messages)}"))
    if errors:
        raise ValidationError(errors)
    counts = {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0}
    existing = {
        t.kpi_id: t for t in Target.objects.select_for_update().filter(period=period, team=team, department=department)
    }
    for kpi, values in rows:
        current = existing.get(kpi.pk)
        if values is None:
            if current is not None:
                delete_target(actor=actor, target=current, reason=reason)
                counts["deleted"] += 1
            continue
        before = audit.snapshot(current, TARGET_FIELDS) if current else None
        saved, created = _save_target(
            actor=actor, kpi=kpi, period=period, team=team, department=department, values=values, reason=reason
        )
        if created:
            counts["created"] += 1
        elif audit.snapshot(saved, TARGET_FIELDS) != before:
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


# --- reviews


@dataclass(frozen=True)
class ActionInput:
    """A lead's answer for one red KPI."""

    kpi_code: str
    comment: str
    action: str
    owner_id: int
    due_date: dt.date


def red_kpi_codes(*, team: Team, period: Period) -> list[str]:
    """Codes of the team's red KPIs in the period (the ones a review must answer)."""
    card = build_scorecards(period_code=period.code, ids=[team.pk])[team.pk]
    return [code for code, line in card.lines.items() if line.status == Status.RED]


def review_owner_choices(team: Team) -> list[Person]:
    """People who can own a review action: the team's current members."""
    return list(Person.objects.filter(pk__in=Membership.objects.current().filter(team=team).values("person_id")))


@transaction.atomic
def submit_review(*, actor, team: Team, period: Period | str, comment: str, actions: Sequence[ActionInput]) -> Review:
    """Create or update the team's review for an open period; every red KPI needs one action (or an open one
    carried from an earlier review); amber KPIs may have one."""
    period = _lock_open_period(_period_row(period))
    if not comment.strip():
        raise ValidationError({"comment": gettext("Say in a sentence or two how the period went.")})
    red = set(red_kpi_codes(team=team, period=period))
    given = {a.kpi_code for a in actions}
    # An open action carried from an earlier review already answers its KPI: it is shown, not copied.
    missing = sorted(red - given - carried_kpi_codes(team=team, start=period.start))
    if missing:
        raise ValidationError(
            gettext("Every red KPI needs an action: missing %(codes)s.") % {"codes": ", ".join(missing)}
        )
    owners = {p.pk for p in review_owner_choices(team)}
    for item in actions:
        if not (item.comment.strip() and item.action.strip()):
            raise ValidationError(
                gettext("%(code)s: a comment and an action are both required.") % {"code": item.kpi_code}
            )
        if item.owner_id not in owners:
            raise ValidationError(
                gettext("%(code)s: the owner must be a current member of %(team)s.")
                % {"code": item.kpi_code, "team": team}
            )
    review, created = Review.objects.select_for_update().get_or_create(
        team=team, period=period, defaults={"comment": comment, "submitted_by": actor}
    )
    before = None if created else {"comment": review.comment, "actions": _action_summary(review.actions.all())}
    if not created:
        review.comment = comment
        review.save(update_fields=["comment", "updated_at"])
    kpis = {k.code: k for k in Kpi.objects.filter(code__in=given)}
    review.actions.exclude(kpi__code__in=given).delete()
    for item in actions:
        ReviewAction.objects.update_or_create(
            review=review,
            kpi=kpis[item.kpi_code],
            defaults={
                "comment": item.comment,
                "action": item.action,
                "owner_id": item.owner_id,
                "due_date": item.due_date,
            },
        )
    after = {"comment": comment, "actions": _action_summary(review.actions.all())}
    audit.record(
        actor=actor, action="review.submit" if created else "review.update", obj=review, before=before, after=after
    )
    return review


def _action_summary(actions) -> list[dict]:
    return [
        {"kpi": a.kpi_id, "owner": a.owner_id, "due": a.due_date.isoformat()}
        for a in sorted(actions, key=lambda a: a.kpi_id)
    ]
