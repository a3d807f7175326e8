"""Targets over time, the writes: phase an annual target into its months, copy targets forward.

Both are atomic (all months or none), refuse closed periods, and leave one audit entry per target written plus
one for the action. A month whose target was set for it directly (not phased) is never overwritten by a
phasing; a copy forward skips or overwrites existing targets as asked, after a preview.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core import audit

from ..models import Department, Period, SeasonalProfile, Target, Team
from .building import kpi_spec
from .periods import months_of, parse_period, shift_period
from .phasing import arithmetic_of, phase
from .services import (
    PeriodClosedError,
    TargetValues,
    _lock_open_period,
    _save_target,
    ensure_period_open,
    save_scope_targets,
    validate_target,
)

MAX_COPY_PERIODS = 24


def figures_of(target: Target) -> list[Decimal]:
    """Target and thresholds of a stored target, in TargetValues order (the one place they are read here)."""
    return [target.target_value, target.on_track_from, target.off_track_from]


def values_from(figures: list[Decimal], target: Target, *, planned_volume: Decimal | None) -> TargetValues:
    return TargetValues(
        target_value=figures[0],
        on_track_from=figures[1],
        off_track_from=figures[2],
        weight=target.weight,
        min_sample=target.min_sample,
        planned_volume=planned_volume,
        noise_by_interval=target.noise_by_interval,
    )


def _scope_filter(target: Target) -> dict:
    return {"team_id": target.team_id, "department_id": target.department_id}


# --- phasing


@transaction.atomic
def phase_annual_target(
    *, actor, annual: Target, profile: SeasonalProfile | None = None, reason: str = ""
) -> dict[str, int]:
    """Write the twelve months of a year's target, flat or by `profile`; months set directly are kept.

    Each month gets the phased target and thresholds, the annual weight and minimum sample, and is marked as
    phased from `annual`. ValidationError when a month would be invalid or a profile does not fit;
    PeriodClosedError when a month to write is closed.
    """
    annual = Target.objects.select_related("kpi", "period").get(pk=annual.pk)
    if annual.period.kind != Period.Kind.YEAR:
        raise ValidationError(gettext("Only a year's target is phased into months."))
    kpi = annual.kpi
    weights = profile.decimal_weights if profile is not None else None
    spec = kpi_spec(kpi)
    try:
        columns = [
            phase(figure, arithmetic_of(spec), scale=spec.scale, weights=weights) for figure in figures_of(annual)
        ]
    except ValueError as error:
        raise ValidationError(str(error)) from error
    codes = months_of(parse_period(annual.period.code))
    existing = {
        t.period.code: t
        for t in Target.objects.select_related("period").filter(
            kpi=kpi, period__code__in=codes, **_scope_filter(annual)
        )
    }
    counts = {"written": 0, "kept": 0}
    plans = []
    for index, code in enumerate(codes):
        current = existing.get(code)
        if current is not None and current.phased_from_id is None:
            counts["kept"] += 1
            continue
        values = values_from([column[index] for column in columns], annual, planned_volume=None)
        try:
            validate_target(kpi=kpi, team=annual.team, department=annual.department, values=values)
        except ValidationError as error:
            raise ValidationError(f"{code}: {' '.join(error.messages)}") from error
        plans.append((code, values))
    for code, values in plans:
        period = _lock_open_period(Period.objects.get_or_create_for_code(code)[0])
        _save_target(
            actor=actor,
            kpi=kpi,
            period=period,
            team=annual.team,
            department=annual.department,
            values=values,
            reason=reason,
            phased_from=annual,
        )
        counts["written"] += 1
    audit.record(
        actor=actor,
        action="target.phase",
        obj=annual,
        after={"profile": profile.name if profile else "flat", **counts},
        reason=reason,
    )
    return counts


# --- copy forward


@dataclass(frozen=True)
class CopyRow:
    """One target a copy forward would write (or skip): where, and what happens to what is there."""

    source: Target
    period_code: str
    existing: Target | None
    action: str  # "create", "overwrite", "skip" (exists, kept) or "same" (exists with the same figures)


@dataclass(frozen=True)
class CopyPlan:
    rows: list[CopyRow]
    closed: list[str]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


def _editable(target: Target) -> tuple:
    return (*figures_of(target), target.weight, target.min_sample, target.planned_volume)


def _scope_key(target: Target) -> tuple[int | None, int | None]:
    return target.team_id, target.department_id


def plan_copy_forward(
    *,
    source: str,
    periods: int,
    overwrite: bool,
    kpi_ids: Collection[int] | None = None,
    team: Team | None = None,
    department: Department | None = None,
    company: bool = False,
) -> CopyPlan:
    """What copying `source`'s targets to the next `periods` periods of its kind would do (no writes).

    The scope: a team, a department, the company (`company=True`), or every scope when none is given.
    """
    span = parse_period(source)
    if not 1 <= periods <= MAX_COPY_PERIODS:
        raise ValidationError(gettext("Copy to between 1 and %(most)s periods.") % {"most": MAX_COPY_PERIODS})
    query = Target.objects.filter(period__code=span.code).select_related("kpi", "period", "team", "department")
    if kpi_ids is not None:
        query = query.filter(kpi_id__in=list(kpi_ids))
    if team is not None:
        query = query.filter(team=team)
    elif department is not None:
        query = query.filter(department=department)
    elif company:
        query = query.filter(team__isnull=True, department__isnull=True)
    sources = sorted(query, key=lambda t: (t.kpi.code, t.scope_label))
    codes = [shift_period(span, step).code for step in range(1, periods + 1)]
    found = Target.objects.filter(period__code__in=codes, kpi_id__in={t.kpi_id for t in sources})
    existing = {(t.period.code, t.kpi_id, _scope_key(t)): t for t in found.select_related("period")}
    closed = []
    for code in codes:  # a month is closed also when its quarter or year is
        try:
            ensure_period_open(code)
        except PeriodClosedError:
            closed.append(code)
    rows = []
    for code in codes:
        for target in sources:
            current = existing.get((code, target.kpi_id, _scope_key(target)))
            if current is None:
                action = "create"
            elif _editable(current) == _editable(target):
                action = "same"
            else:
                action = "overwrite" if overwrite else "skip"
            rows.append(CopyRow(source=target, period_code=code, existing=current, action=action))
    return CopyPlan(rows=rows, closed=closed)


@transaction.atomic
def copy_forward(*, actor, plan: CopyPlan, source: str, reason: str = "") -> dict[str, int]:
    """Carry out a previewed plan: create and overwrite its rows, all or none. Refused when a period is closed."""
    if plan.closed:
        raise PeriodClosedError(
            gettext("Closed periods cannot take targets: %(codes)s. Copy to open periods only.")
            % {"codes": ", ".join(plan.closed)},
            code="period_closed",
        )
    counts = {action: plan.count(action) for action in ("create", "overwrite", "skip", "same")}
    locked: dict[str, Period] = {}
    for row in plan.rows:
        if row.action not in ("create", "overwrite"):
            continue
        if row.period_code not in locked:
            locked[row.period_code] = _lock_open_period(Period.objects.get_or_create_for_code(row.period_code)[0])
        target = row.source
        _save_target(
            actor=actor,
            kpi=target.kpi,
            period=locked[row.period_code],
            team=target.team,
            department=target.department,
            values=values_from(figures_of(target), target, planned_volume=target.planned_volume),
            reason=reason or f"Copied forward from {source}",
        )
    anchor = plan.rows[0].source if plan.rows else None
    if anchor is not None:
        audit.record(
            actor=actor,
            action="target.copy_forward",
            obj=anchor.period,
            after={"source": source, "periods": sorted(locked), **counts},
            reason=reason,
        )
    return counts


@transaction.atomic
def save_scope_targets_phased(
    *,
    actor,
    period: str,
    rows,
    team: Team | None = None,
    department: Department | None = None,
    phasing: str = "",
    profile: SeasonalProfile | None = None,
    reason: str = "",
) -> dict[str, int]:
    """The bulk editor's save: every row of one scope, then (for a year, when asked) each saved target phased
    into its months (`phasing` "flat" or a profile). All of it or none."""
    counts = save_scope_targets(actor=actor, period=period, team=team, department=department, rows=rows, reason=reason)
    counts["phased"] = 0
    if phasing:
        saved = Target.objects.filter(period__code=period, team=team, department=department)
        for annual in saved:
            phase_annual_target(actor=actor, annual=annual, profile=profile, reason=reason)
            counts["phased"] += 1
    return counts


def phase_preview(annual: Target, profile: SeasonalProfile | None) -> list[tuple[str, list[Decimal]]] | str:
    """Month code and phased figures (target, thresholds) per month, or why it cannot be phased."""
    spec = kpi_spec(annual.kpi)
    weights = profile.decimal_weights if profile is not None else None
    try:
        columns = [phase(f, arithmetic_of(spec), scale=spec.scale, weights=weights) for f in figures_of(annual)]
    except ValueError as error:
        return str(error)
    codes = months_of(parse_period(annual.period.code)) if annual.period.kind == Period.Kind.YEAR else []
    return [(code, [column[index] for column in columns]) for index, code in enumerate(codes)]
