"""Scorecard math: KPI actuals from raw sums, survey confidence intervals, status, scores. Pure: no ORM.

Every figure is computed from additive sums (`Sums`, in `additive.py`), so a department or the company is the sum of its
teams' sums run through the same formula, never an average of averages.

Conventions:
- An actual is shown rounded (half up) to the KPI's decimals; status and score judge the exact actual
  (`status.py`: on track from G, off track from R, at risk strictly between), so 74.95 is below 75.0.
- Neutral when there is no data or no target. Noise (`Status.NOISE`) when the sample is below the
  target's `min_sample` (an unknown sample counts as 0), or when the target asks for it and the survey's
  95 % interval straddles "on track from" or "off track from".
- Score (0-100, `status.score`): 100 at or better than the target, 0 at or worse than "off track from",
  linear between.
- Composite (0-100): the weight-averaged score of the rated KPIs (not neutral, not noise) with a
  positive weight.
- Intervals (`intervals.py`) only for survey KPIs: Wilson (CSAT), NPS margin (NPS), t-interval (CES).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from . import intervals
from .additive import EMPTY_SUMS as EMPTY_SUMS
from .additive import Sums as Sums
from .additive import dec_out as _dec_out
from .additive import total as total
from .definitions import CURRENT_DEFINITION, DEFINITIONS
from .status import (
    HUNDRED,
    SCORE_PLACES,
    UNRATED,
    ZERO,
    Direction,
    Status,
    band,
)
from .status import score as band_score

if TYPE_CHECKING:
    from .figures import LineFigures

# Range of one response's score per survey, so an interval never claims the impossible (CES above 7).
SURVEY_SCORE_RANGE: dict[str, tuple[Decimal, Decimal]] = {
    "nps": (Decimal(-1), Decimal(1)),
    "csat": (Decimal(0), Decimal(1)),
    "ces": (Decimal(1), Decimal(7)),
}


class Aggregation(StrEnum):
    SUM = "sum"
    MEAN = "mean"
    LAST = "last"
    RATIO = "ratio"
    CHURN = "churn"
    RETENTION = "retention"


STOCK_AGGREGATIONS = frozenset({Aggregation.CHURN, Aggregation.RETENTION})


@dataclass(frozen=True)
class KpiSpec:
    """What the math needs to know about a KPI (a plain copy of the catalogue row)."""

    code: str
    name: str
    unit: str
    decimals: int
    direction: str
    aggregation: str
    scale: Decimal = Decimal(1)
    survey: str = ""


@dataclass(frozen=True)
class TargetSpec:
    """A resolved target: value, thresholds, weight, how noise counts and the scope it came from."""

    target: Decimal
    on_track_from: Decimal
    off_track_from: Decimal
    weight: Decimal = Decimal(1)
    min_sample: int = 0
    scope: str = "company"
    derived: bool = False  # derived from the months' targets (quarter, year), not set for the period
    planned: Decimal | None = None  # planned denominator (ratio) or sample (mean): weighs months in a derivation
    # Noise when the survey's 95 % interval straddles a threshold (besides a sample below `min_sample`).
    noise_by_interval: bool = False


@dataclass(frozen=True)
class KpiLine:
    """One KPI on a scorecard: actual (rounded to the KPI's decimals), target, status, score and trend."""

    kpi_code: str
    kpi_name: str
    unit: str
    decimals: int
    direction: str
    aggregation: str
    actual: Decimal | None
    sample_size: int | None
    ci_low: Decimal | None
    ci_high: Decimal | None
    target: Decimal | None
    on_track_from: Decimal | None
    off_track_from: Decimal | None
    weight: Decimal
    min_sample: int
    target_scope: str
    status: str
    score: Decimal | None
    attainment: Decimal | None
    previous: Decimal | None
    trend: Decimal | None
    sums: Sums = field(default_factory=Sums)
    previous_sums: Sums = field(default_factory=Sums)
    target_derived: bool = False
    ci_method: str = ""
    # The unrounded actual that status, score and incentive gates judge; None in snapshots frozen before it.
    exact_actual: Decimal | None = None

    @property
    def judged_actual(self) -> Decimal | None:
        """The exact actual when known, else the rounded one (a snapshot frozen before exact actuals)."""
        return self.actual if self.exact_actual is None else self.exact_actual

    @property
    def ci_method_name(self) -> str:
        return intervals.METHOD_NAMES.get(self.ci_method, "")

    @property
    def has_data(self) -> bool:
        return self.actual is not None

    @property
    def is_survey(self) -> bool:
        return self.ci_low is not None or self.ci_high is not None

    def to_json(self) -> dict[str, Any]:
        data = {f.name: _dec_out(getattr(self, f.name)) for f in fields(self)}
        data["sums"] = self.sums.to_json()
        data["previous_sums"] = self.previous_sums.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> KpiLine:
        dec_fields = {"actual", "ci_low", "ci_high", "target", "on_track_from", "off_track_from", "score"}
        dec_fields |= {"attainment", "previous", "trend", "exact_actual"}
        # Snapshots frozen before the rename keep their threshold values under the old keys.
        legacy = {"on_track_from": "amber", "off_track_from": "red"}
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = data.get(f.name, data.get(legacy.get(f.name, "")))
            if f.name in ("sums", "previous_sums"):
                values[f.name] = Sums.from_json(raw or {})
            elif f.name in dec_fields:
                values[f.name] = None if raw is None else Decimal(raw)
            elif f.name == "weight":
                values[f.name] = Decimal(raw or 0)
            elif f.name in ("decimals", "min_sample"):
                values[f.name] = int(raw or 0)
            elif f.name == "sample_size":
                values[f.name] = None if raw is None else int(raw)
            elif f.name == "target_derived":
                values[f.name] = bool(raw)
            else:
                values[f.name] = raw or ""
        return cls(**values)


@dataclass(frozen=True)
class Scorecard:
    """A team's, department's or the company's scorecard for one period: lines by KPI code and a composite."""

    level: str
    object_id: int | None
    period_code: str
    lines: dict[str, KpiLine]
    composite: Decimal | None
    is_snapshot: bool = False
    definition: str = CURRENT_DEFINITION

    @property
    def definition_label(self) -> str:
        label = DEFINITIONS.get(self.definition)
        return self.definition if label is None else str(label)

    def actual(self, kpi_code: str) -> Decimal | None:
        """The KPI's actual; None also when the card predates the KPI (a snapshot frozen before it existed)."""
        line = self.lines.get(kpi_code)
        return line.actual if line is not None else None

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "object_id": self.object_id,
            "period_code": self.period_code,
            "composite": _dec_out(self.composite),
            "lines": {code: line.to_json() for code, line in sorted(self.lines.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, is_snapshot: bool = True) -> Scorecard:
        composite = data.get("composite")
        return cls(
            level=data["level"],
            object_id=data.get("object_id"),
            period_code=data["period_code"],
            lines={code: KpiLine.from_json(line) for code, line in data.get("lines", {}).items()},
            composite=None if composite is None else Decimal(composite),
            is_snapshot=is_snapshot,
        )

    def count(self, status: str) -> int:
        return sum(1 for line in self.lines.values() if line.status == status)


_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(10)}


def quantum(decimals: int) -> Decimal:
    """The Decimal exponent for `decimals` places (0 -> 1, 2 -> 0.01)."""
    return _QUANTA.get(decimals) or Decimal(1).scaleb(-decimals)


def _rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(quantum(decimals), rounding=ROUND_HALF_UP)


def round_to(value: Decimal | None, decimals: int) -> Decimal | None:
    """Round half up to `decimals` places; None stays None."""
    if value is None:
        return None
    return value.quantize(quantum(decimals), rounding=ROUND_HALF_UP)


def kpi_actual(kpi: KpiSpec, sums: Sums) -> Decimal | None:
    """The KPI's value over the rows in `sums` (unrounded); None when there is no data or a zero denominator."""
    if kpi.aggregation == Aggregation.RATIO:
        if sums.denominator == 0:
            return None
        return kpi.scale * sums.numerator / sums.denominator
    if kpi.aggregation == Aggregation.MEAN:
        if sums.n == 0:
            return None
        return sums.value_x_n / sums.n
    if kpi.aggregation == Aggregation.SUM:
        return sums.value if sums.rows else None
    if kpi.aggregation == Aggregation.LAST:
        return sums.last
    if kpi.aggregation in STOCK_AGGREGATIONS:  # lost, or kept (closing - gained), over the base at the start
        kept_or_lost = sums.lost if kpi.aggregation == Aggregation.CHURN else sums.closing - sums.gained
        return kpi.scale * kept_or_lost / sums.opening if sums.based_teams and sums.opening else None
    raise ValueError(f"unknown aggregation {kpi.aggregation!r}")


def sample_size(kpi: KpiSpec, sums: Sums) -> int | None:
    """Responses (or contacts) behind the actual: the denominator of a ratio, else the reported sample sizes."""
    if not sums.rows:
        return None
    if kpi.aggregation in (Aggregation.RATIO, *STOCK_AGGREGATIONS):
        return int(sums.denominator if kpi.aggregation == Aggregation.RATIO else sums.opening)
    return sums.sample_size if sums.sampled_rows else None


def survey_sum_and_count(kpi: KpiSpec, sums: Sums) -> tuple[Decimal, Decimal]:
    """(sum of per-response scores, number of responses) of a survey KPI."""
    if kpi.aggregation == Aggregation.RATIO:
        return sums.numerator, sums.denominator
    return sums.value_x_n, sums.n


def survey_interval(kpi: KpiSpec, sums: Sums) -> intervals.Interval | None:
    """The exact 95 % interval of a survey KPI on its scale (see `intervals`); None for counted KPIs, and
    when a method needing the sum of squares lacks it on any row (a partial sum would understate it)."""
    if not kpi.survey or not sums.rows:
        return None
    total_score, n = survey_sum_and_count(kpi, sums)
    if kpi.survey == "csat" and kpi.aggregation == Aggregation.RATIO:
        return intervals.scaled(intervals.wilson(total_score, n), kpi.scale)
    if sums.squared_rows < sums.rows:
        return None
    if kpi.survey == "nps" and kpi.aggregation == Aggregation.RATIO:
        return intervals.scaled(intervals.nps_margin(total_score, sums.sum_squares, n), kpi.scale)
    floor, ceiling = SURVEY_SCORE_RANGE.get(kpi.survey, (None, None))
    if kpi.aggregation == Aggregation.MEAN:
        return intervals.t_interval(total_score, sums.sum_squares, n, floor, ceiling)
    return None


def confidence_interval(kpi: KpiSpec, sums: Sums) -> tuple[Decimal, Decimal] | None:
    """The survey interval as shown: rounded half up to one more decimal than the KPI."""
    interval = survey_interval(kpi, sums)
    if interval is None:
        return None
    places = kpi.decimals + 1
    return _rounded(interval.low, places), _rounded(interval.high, places)


def status(
    actual: Decimal | None,
    target: TargetSpec | None,
    direction: str,
    sample: int | None,
    interval: intervals.Interval | None = None,
) -> Status:
    """The band of the exact actual (`status.band`); neutral without data or target; noise below the
    minimum sample, or when the target asks and the interval straddles a threshold."""
    if actual is None or target is None:
        return Status.NEUTRAL
    if target.min_sample and (sample or 0) < target.min_sample:
        return Status.NOISE
    straddled = interval is not None and any(
        interval.straddles(bound) for bound in (target.on_track_from, target.off_track_from)
    )
    if target.noise_by_interval and straddled:
        return Status.NOISE
    return band(actual, target.on_track_from, target.off_track_from, direction)


def _weight(target: TargetSpec | None) -> Decimal:
    return target.weight if target else ZERO


def score(actual: Decimal | None, target: TargetSpec | None, direction: str) -> Decimal | None:
    """0-100, monotonic in the exact actual (`status.score`); None without data or target."""
    if actual is None or target is None:
        return None
    return band_score(actual, target.target, target.off_track_from, direction)


def attainment(actual: Decimal | None, target: Decimal | None, direction: str) -> Decimal | None:
    """Percent of target reached (target/actual when lower is better); None unless both are positive."""
    if actual is None or target is None or target <= 0 or actual < 0:
        return None
    try:
        ratio = target / actual if direction == Direction.LOWER else actual / target
    except (ZeroDivisionError, InvalidOperation):
        return None
    return (HUNDRED * ratio).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def trend(actual: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Change versus the previous period (actual - previous); None when either is missing."""
    if actual is None or previous is None:
        return None
    return actual - previous


def trend_is_better(line: KpiLine) -> bool | None:
    """Whether the trend moved the right way for the KPI's direction; None when flat or unknown."""
    if line.trend is None or line.trend == 0:
        return None
    return (line.trend < 0) if line.direction == Direction.LOWER else (line.trend > 0)


def composite(lines: Iterable[KpiLine | LineFigures]) -> Decimal | None:
    """Weighted mean score (0-100) of the rated lines (not neutral, not noise) with a positive weight."""
    weighted, weights = ZERO, ZERO
    for line in lines:
        if line.status in UNRATED or line.score is None or line.weight <= 0:
            continue
        weighted += line.score * line.weight
        weights += line.weight
    if weights == 0:
        return None
    return (weighted / weights).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def kpi_line(kpi: KpiSpec, sums: Sums, target: TargetSpec | None, previous_sums: Sums | None = None) -> KpiLine:
    """Everything a scorecard shows for one KPI, from its sums in this and the previous period."""
    previous_sums = EMPTY_SUMS if previous_sums is None else previous_sums
    exact = kpi_actual(kpi, sums)
    actual = round_to(exact, kpi.decimals)
    previous = round_to(kpi_actual(kpi, previous_sums), kpi.decimals)
    sample = sample_size(kpi, sums)
    interval = survey_interval(kpi, sums)
    places = kpi.decimals + 1
    return KpiLine(
        kpi_code=kpi.code,
        kpi_name=kpi.name,
        unit=kpi.unit,
        decimals=kpi.decimals,
        direction=kpi.direction,
        aggregation=kpi.aggregation,
        actual=actual,
        sample_size=sample,
        ci_low=_rounded(interval.low, places) if interval else None,
        ci_high=_rounded(interval.high, places) if interval else None,
        target=target.target if target else None,
        on_track_from=target.on_track_from if target else None,
        off_track_from=target.off_track_from if target else None,
        weight=target.weight if target else ZERO,
        min_sample=target.min_sample if target else 0,
        target_scope=target.scope if target else "",
        status=status(exact, target, kpi.direction, sample, interval).value,
        score=score(exact, target, kpi.direction),
        attainment=attainment(actual, target.target if target else None, kpi.direction),
        previous=previous,
        trend=trend(actual, previous),
        sums=sums,
        previous_sums=previous_sums,
        target_derived=target.derived if target else False,
        ci_method=interval.method if interval else "",
        exact_actual=exact,
    )


def scorecard(
    *,
    level: str,
    object_id: int | None,
    period_code: str,
    kpis: Iterable[KpiSpec],
    sums: Mapping[str, Sums],
    previous_sums: Mapping[str, Sums],
    targets: Mapping[str, TargetSpec],
    only_status: str | None = None,
    figures_only: bool = False,
) -> Scorecard:
    """A scorecard from per-KPI sums (this and previous period) and resolved targets, keyed by KPI code.

    `only_status` keeps only the lines in that status (see `lines_in_status`): the others are not built.
    `figures_only` makes each line a `LineFigures` (status, actual, score, weight) and keeps the composite."""
    # figures.py builds on kpi_line here, so it is imported when used (a module-level import would be a cycle).
    from .figures import line_figures, line_status, no_data_figures

    if figures_only:
        figures = {}
        for kpi in kpis:
            found, target = sums.get(kpi.code), targets.get(kpi.code)
            if found is None:
                figures[kpi.code] = no_data_figures(kpi, target)
            else:
                figures[kpi.code] = line_figures(kpi, found, target)
        return Scorecard(
            level=level,
            object_id=object_id,
            period_code=period_code,
            lines=figures,  # type: ignore[arg-type]  # duck-typed: what ordering, counts and composite read
            composite=composite(figures.values()),
        )
    if only_status is not None:
        kpis = [k for k in kpis if line_status(k, sums.get(k.code, EMPTY_SUMS), targets.get(k.code)) == only_status]
    lines = {
        kpi.code: kpi_line(kpi, sums.get(kpi.code, EMPTY_SUMS), targets.get(kpi.code), previous_sums.get(kpi.code))
        for kpi in kpis
    }
    if only_status is not None:
        return lines_in_status(
            Scorecard(level=level, object_id=object_id, period_code=period_code, lines=lines, composite=None),
            only_status,
        )
    return Scorecard(
        level=level, object_id=object_id, period_code=period_code, lines=lines, composite=composite(lines.values())
    )


def lines_in_status(card: Scorecard, wanted: str) -> Scorecard:
    """The card with only its lines in status `wanted`, and no composite (a part of the lines has none): for
    lists of lines in one status across many cards, such as the dashboard's off-track team KPIs."""
    lines = {code: line for code, line in card.lines.items() if line.status == wanted}
    return Scorecard(card.level, card.object_id, card.period_code, lines, None, card.is_snapshot, card.definition)


def resolve_target(
    kpi_code: str, scopes: Iterable[tuple[str, int | None]], targets: Mapping[tuple[str, str, int | None], TargetSpec]
) -> TargetSpec | None:
    """The first target found along `scopes` (most specific first: team, departments up the tree, company)."""
    for scope, object_id in scopes:
        found = targets.get((kpi_code, scope, object_id))
        if found is not None:
            return found
    return None
