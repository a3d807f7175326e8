"""Payout math: curves, quality checks, gates, proration and the once-per-line rounding. Pure: no ORM.

Every function here is total: degenerate curves (points equal or out of order) never divide by zero,
missing actuals pay nothing and say why. Models validate curves with `curve_errors` before saving.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from core.numbers import half_up

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def gettext_noop(text: str) -> str:
    """Marks a message for translation (makemessages) without Django: `explain` translates at display."""
    return text


# Why a component pays nothing, by code; figures fill the %(name)s places. Stored as code + figures.
REASONS = {
    "no_data": gettext_noop("no %(label)s data in the period"),
    "sample_below": gettext_noop("%(label)s sample %(got)s is below the minimum of %(min)s"),
    "sample_unknown": gettext_noop("%(label)s sample unknown is below the minimum of %(min)s"),
    "rate_unknown": gettext_noop("%(label)s response rate unknown (no contacts recorded)"),
    "rate_below": gettext_noop("%(label)s response rate %(rate)s %% is below the minimum of %(min)s %%"),
    "gate_not_met": gettext_noop("a gate of the plan was not met, so the plan pays nothing"),
}


class CurvePoint(StrEnum):
    """Where an actual sits on a curve, in words for statements."""

    BELOW_THRESHOLD = "below threshold"
    THRESHOLD_TO_TARGET = "between threshold and target"
    TARGET_TO_STRETCH = "between target and stretch"
    AT_STRETCH = "at or beyond stretch"
    CAPPED = "capped"


@dataclass(frozen=True)
class Curve:
    """Payout % of the target amount as a function of a KPI actual; `lower_is_better` reverses the axis."""

    threshold: Decimal
    target: Decimal
    stretch: Decimal
    threshold_payout_pct: Decimal = Decimal(50)
    stretch_payout_pct: Decimal = Decimal(150)
    cap_pct: Decimal = Decimal(150)
    lower_is_better: bool = False


@dataclass(frozen=True)
class ComponentSpec:
    """One part of a plan: a KPI (or the composite, `kpi_code=None`), its weight, curve and quality rules."""

    key: str
    label: str
    kpi_code: str | None
    weight: Decimal
    curve: Curve
    is_gate: bool = False
    min_sample: int | None = None
    min_response_rate_pct: Decimal | None = None


@dataclass(frozen=True)
class Actual:
    """A measured actual for one scope: value (as shown), survey sample size, contacts (the FCR denominator)
    and the unrounded value a gate judges (74.95 does not pass a gate at 75 because it shows as 75.0)."""

    value: Decimal | None
    sample_size: int | None = None
    contacts: Decimal | None = None
    exact: Decimal | None = None

    @property
    def judged(self) -> Decimal | None:
        return self.value if self.exact is None else self.exact


@dataclass(frozen=True, eq=False)
class Stint:
    """Days a person spent in one eligible team during the period, with the actuals that apply to that team.

    Compared and hashed by identity: loaders share one Stint per (team, days), which lets
    `calculate_run` compute each distinct stint once.
    """

    team_id: int
    team_label: str
    days: int
    actuals: Mapping[str, Actual]


@dataclass(frozen=True)
class PersonInput:
    """Everything one line needs: who, the target amount and their stints."""

    person_id: int
    target_amount: Decimal
    stints: tuple[Stint, ...]


@dataclass(frozen=True)
class ComponentResult:
    """One component for one stint: the actual, the curve point, the % earned and the exact amount."""

    key: str
    label: str
    actual: Decimal | None
    curve_point: CurvePoint | None
    payout_pct: Decimal
    weight_share: Decimal
    amount: Decimal
    is_gate: bool
    is_paid: bool
    reason: str = ""
    amount_per_unit: Decimal = ZERO  # what one unit better (e.g. +1 FCR point) adds, on the current segment
    reason_code: str = ""  # a key of REASONS; `reason` is its English text
    reason_figures: Mapping[str, str] = field(default_factory=dict)
    curve: Curve | None = None
    judged: Decimal | None = None  # the unrounded actual a gate judged


@dataclass(frozen=True)
class StintResult:
    """A stint's share of the line: proration factor, gate outcome, components and exact amount."""

    team_id: int
    team_label: str
    days: int
    proration: Decimal
    gates_met: bool
    components: tuple[ComponentResult, ...]
    amount: Decimal


@dataclass(frozen=True)
class LineResult:
    """One person's payout: exact amount, the once-rounded amount and the stints that explain it."""

    person_id: int
    target_amount: Decimal
    proration: Decimal
    exact_amount: Decimal
    amount: Decimal
    stints: tuple[StintResult, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RunResult:
    """All lines of a run and their total (the exact sum of the rounded lines)."""

    lines: tuple[LineResult, ...]
    total: Decimal


def curve_errors(curve: Curve) -> dict[str, str]:
    """Field -> message for a curve that cannot be paid on sensibly; empty when the curve is valid."""
    errors: dict[str, str] = {}
    low, mid, high = (curve.threshold, curve.target, curve.stretch)
    if curve.lower_is_better:
        if not low > mid:
            errors["threshold"] = "For a lower-is-better KPI the threshold must be above the target."
        if not mid > high:
            errors["stretch"] = "For a lower-is-better KPI the stretch must be below the target."
    else:
        if not low < mid:
            errors["threshold"] = "The threshold must be below the target."
        if not mid < high:
            errors["stretch"] = "The stretch must be above the target."
    if not ZERO <= curve.threshold_payout_pct <= HUNDRED:
        errors["threshold_payout_pct"] = "The threshold payout must be between 0 and 100 %."
    if curve.stretch_payout_pct < HUNDRED:
        errors["stretch_payout_pct"] = "The stretch payout must be at least 100 %."
    if curve.cap_pct < HUNDRED:
        errors["cap_pct"] = "The cap must be at least 100 % (the target pays 100 %)."
    return errors


def curve_position(curve: Curve, actual: Decimal) -> tuple[Decimal, CurvePoint]:
    """Payout % for an actual and the curve segment it falls on; never divides by zero."""
    value, threshold, target, stretch = actual, curve.threshold, curve.target, curve.stretch
    if curve.lower_is_better:
        value, threshold, target, stretch = -value, -threshold, -target, -stretch
    if value < threshold:
        return ZERO, CurvePoint.BELOW_THRESHOLD
    if value < target:
        # threshold <= value < target, so target - threshold > 0 here.
        share = (value - threshold) / (target - threshold)
        pct, point = (
            curve.threshold_payout_pct + (HUNDRED - curve.threshold_payout_pct) * share,
            (CurvePoint.THRESHOLD_TO_TARGET),
        )
    elif value < stretch:
        share = (value - target) / (stretch - target)
        pct, point = HUNDRED + (curve.stretch_payout_pct - HUNDRED) * share, CurvePoint.TARGET_TO_STRETCH
    elif stretch > target:
        pct, point = curve.stretch_payout_pct, CurvePoint.AT_STRETCH
    else:
        pct, point = HUNDRED, CurvePoint.TARGET_TO_STRETCH
    if pct > curve.cap_pct or (pct == curve.cap_pct and _segment_slope(curve, point) > 0):
        # at exactly the cap on a rising segment, better results pay no more either
        return max(curve.cap_pct, ZERO), CurvePoint.CAPPED
    return max(pct, ZERO), point


def pct_per_unit(curve: Curve, actual: Decimal) -> Decimal:
    """Payout % gained per unit of improvement on the actual's segment (0 below threshold, at stretch or cap)."""
    return _segment_slope(curve, curve_position(curve, actual)[1])


def _segment_slope(curve: Curve, point: CurvePoint) -> Decimal:
    if point is CurvePoint.THRESHOLD_TO_TARGET:
        span = abs(curve.target - curve.threshold)
        return (HUNDRED - curve.threshold_payout_pct) / span if span else ZERO
    if point is CurvePoint.TARGET_TO_STRETCH:
        span = abs(curve.stretch - curve.target)
        return (curve.stretch_payout_pct - HUNDRED) / span if span else ZERO
    return ZERO


def payout_pct(curve: Curve, actual: Decimal) -> Decimal:
    """Payout % of the target amount earned by an actual on a curve."""
    return curve_position(curve, actual)[0]


def response_rate_pct(sample_size: int | None, contacts: Decimal | None) -> Decimal | None:
    """Survey responses per contact in %, None when contacts are unknown or zero."""
    if sample_size is None or contacts is None or contacts <= 0:
        return None
    return HUNDRED * Decimal(sample_size) / contacts


def quality_issue(spec: ComponentSpec, actual: Actual) -> tuple[str, dict[str, str]]:
    """Why a component's evidence is too thin to pay on, as a REASONS code and its figures ("" when good)."""
    label = {"label": spec.label}
    if actual.value is None:
        return "no_data", label
    if spec.min_sample and actual.sample_size is None:
        return "sample_unknown", {**label, "min": str(spec.min_sample)}
    if spec.min_sample and actual.sample_size is not None and actual.sample_size < spec.min_sample:
        return "sample_below", {**label, "got": str(actual.sample_size), "min": str(spec.min_sample)}
    if spec.min_response_rate_pct:
        rate = response_rate_pct(actual.sample_size, actual.contacts)
        if rate is None:
            return "rate_unknown", label
        if rate < spec.min_response_rate_pct:
            return "rate_below", {**label, "rate": str(half_up(rate, 1)), "min": str(spec.min_response_rate_pct)}
    return "", {}


def reason_text(code: str, figures: Mapping[str, str]) -> str:
    """The English text of a reason code (empty for no reason)."""
    return REASONS[code] % dict(figures) if code else ""


def quality_failure(spec: ComponentSpec, actual: Actual) -> str:
    """Why a component's evidence is too thin to pay on, in English (empty string when it is good enough)."""
    return reason_text(*quality_issue(spec, actual))


def gate_is_met(spec: ComponentSpec, actual: Actual) -> bool:
    """A gate is met when its evidence is good enough (the plan's own minimum sample and response rate) and
    the exact actual reaches the threshold. A KPI "within noise" on its scorecard is judged the same way:
    the plan fixed its evidence rules up front, and a target's noise setting (owned by whoever sets
    targets, editable later) neither opens nor closes a gate (docs/kpi-maths.md)."""
    judged = actual.judged
    if quality_failure(spec, actual) or judged is None:
        return False
    return curve_position(spec.curve, judged)[1] is not CurvePoint.BELOW_THRESHOLD


def proration_denominator(stints: Iterable[Stint], period_days: int) -> int:
    """Days that count as 100 %: the period, or all stint days when overlapping stints exceed it."""
    if period_days <= 0:
        return 0
    return max(sum(max(stint.days, 0) for stint in stints), period_days)


def proration_factors(stints: Iterable[Stint], period_days: int) -> list[Decimal]:
    """Share of the period each stint covers; overlapping stints split the time so the sum never exceeds 1."""
    stints = list(stints)
    denominator = proration_denominator(stints, period_days)
    if denominator == 0:
        return [ZERO for _ in stints]
    return [Decimal(max(stint.days, 0)) / Decimal(denominator) for stint in stints]


def calculate_stint(
    *, specs: tuple[ComponentSpec, ...], stint: Stint, target_amount: Decimal, denominator: int
) -> StintResult:
    """Exact amount earned in one stint: gates first, then the weighted components.

    Multiplications come first and there is one division per component, so results that have a
    finite decimal form (10/30 of 300 = 100) come out exact.
    """
    missing = Actual(value=None)
    gates_met = all(gate_is_met(spec, stint.actuals.get(spec.key, missing)) for spec in specs if spec.is_gate)
    total_weight = sum((spec.weight for spec in specs if spec.weight > 0), ZERO)
    days = Decimal(max(stint.days, 0))
    proration = days / Decimal(denominator) if denominator > 0 else ZERO
    results = []
    for spec in specs:
        actual = stint.actuals.get(spec.key, missing)
        share = spec.weight / total_weight if total_weight > 0 and spec.weight > 0 else ZERO
        code, figures = quality_issue(spec, actual)
        pct, point = (ZERO, None) if actual.value is None else curve_position(spec.curve, actual.value)
        if code:
            pct = ZERO
        elif not gates_met:
            code, figures = "gate_not_met", {}
        reason = reason_text(code, figures)
        pays = gates_met and not reason and denominator > 0 and total_weight > 0 and spec.weight > 0
        scale = target_amount * days * spec.weight / (Decimal(denominator) * total_weight * HUNDRED) if pays else ZERO
        amount = (
            target_amount * days * spec.weight * pct / (Decimal(denominator) * total_weight * HUNDRED) if pays else ZERO
        )
        # `point` is where the actual sits on the curve (computed above), so its slope needs no second lookup.
        per_unit = scale * _segment_slope(spec.curve, point) if pays and point is not None else ZERO
        results.append(
            ComponentResult(
                key=spec.key,
                label=spec.label,
                actual=actual.value,
                curve_point=point,
                payout_pct=pct,
                weight_share=share,
                amount=amount,
                is_gate=spec.is_gate,
                is_paid=amount > 0,
                reason=reason,
                amount_per_unit=per_unit,
                reason_code=code,
                reason_figures=figures,
                curve=spec.curve,
                judged=actual.judged,
            )
        )
    return StintResult(
        team_id=stint.team_id,
        team_label=stint.team_label,
        days=stint.days,
        proration=proration,
        gates_met=gates_met,
        components=tuple(results),
        amount=sum((r.amount for r in results), ZERO),
    )


# A shared stint's result, keyed by the stint, the proration denominator and the target amount.
StintCache = dict[tuple[Stint, int, Decimal], StintResult]


def calculate_line(
    *,
    specs: tuple[ComponentSpec, ...],
    person: PersonInput,
    period_days: int,
    rounder: Callable[[Decimal], Decimal],
    stint_cache: StintCache | None = None,
) -> LineResult:
    """One person's line: each stint prorated by its days, summed exactly, rounded once by `rounder`.

    `stint_cache` (used by `calculate_run`) shares the result of a shared stint: people of one team
    with the same days and target amount earn exactly the same, so it is computed once.
    """
    target_amount = max(person.target_amount, ZERO)
    denominator = proration_denominator(person.stints, period_days)
    results = []
    for stint in person.stints:
        key = None
        if stint_cache is not None:
            key = (stint, denominator, target_amount)
            cached = stint_cache.get(key)
            if cached is not None:
                results.append(cached)
                continue
        result = calculate_stint(specs=specs, stint=stint, target_amount=target_amount, denominator=denominator)
        if stint_cache is not None and key is not None:
            stint_cache[key] = result
        results.append(result)
    stints = tuple(results)
    exact = sum((s.amount for s in stints), ZERO)
    return LineResult(
        person_id=person.person_id,
        target_amount=target_amount,
        proration=sum((s.proration for s in stints), ZERO),
        exact_amount=exact,
        amount=rounder(exact),
        stints=stints,
    )


def calculate_run(
    *,
    specs: tuple[ComponentSpec, ...],
    people: Iterable[PersonInput],
    period_days: int,
    rounder: Callable[[Decimal], Decimal],
) -> RunResult:
    """Every line of a run; the total is the sum of the rounded lines, so it always adds up.

    People with the same (shared) stints and target amount get the same line, computed once.
    """
    stint_cache: StintCache = {}
    line_cache: dict[tuple[tuple[Stint, ...], Decimal], LineResult] = {}
    lines = []
    for person in people:
        key = (person.stints, person.target_amount)
        line = line_cache.get(key)
        if line is None:
            line = line_cache[key] = calculate_line(
                specs=specs, person=person, period_days=period_days, rounder=rounder, stint_cache=stint_cache
            )
        if line.person_id != person.person_id:
            line = LineResult(
                person.person_id, line.target_amount, line.proration, line.exact_amount, line.amount, line.stints
            )
        lines.append(line)
    return RunResult(lines=tuple(lines), total=sum((line.amount for line in lines), ZERO))


def with_overrides(stint: Stint, overrides: Mapping[str, Decimal]) -> Stint:
    """A copy of a stint with hypothetical actual values for some components (the what-if)."""
    actuals = dict(stint.actuals)
    for key, value in overrides.items():
        previous = actuals.get(key, Actual(value=None))
        # A hypothetical value is exact as typed.
        actuals[key] = Actual(value=value, sample_size=previous.sample_size, contacts=previous.contacts)
    return Stint(team_id=stint.team_id, team_label=stint.team_label, days=stint.days, actuals=actuals)


def kpi_change(current: Decimal | None, previous: Decimal | None, *, lower_is_better: bool = False) -> Decimal | None:
    """Improvement from the previous period (positive is better whatever the direction); None if unknown."""
    if current is None or previous is None:
        return None
    change = current - previous
    return -change if lower_is_better else change


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    """Plain mean of the known values, None when there are none."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    return sum(known, ZERO) / Decimal(len(known))


ACCOUNTING_RETENTION_YEARS = 7  # Swedish Bokföringslagen (1999:1078) 7 kap. 2 §


def retention_end(paid_on: dt.date) -> dt.date:
    """The last day a paid run's accounting records must be kept: 31 December of the seventh year after payment."""
    return dt.date(paid_on.year + ACCOUNTING_RETENTION_YEARS, 12, 31)
