"""Scorecard math: KPI actuals from raw sums, survey confidence intervals, status, scores. Pure: no ORM.

Every figure is computed from additive sums (`Sums`), so a department or the company is the sum of its
teams' sums run through the same formula, never an average of averages.

Conventions:
- An actual is rounded (half up) to the KPI's shown decimals; status, score and trend use that rounded
  value, so what a page shows is what was judged.
- Status follows `Target`: green at or better than the amber threshold, amber at or better than the red
  threshold, red beyond it; "better" follows the KPI's direction. Neutral when there is no data, no
  target, or the sample is below the target's `min_sample` (an unknown sample counts as 0).
- Score (0-100): 100 at or better than the target, 0 at or worse than the red threshold, linear between.
- Composite (0-100): the weight-averaged score of the non-neutral KPIs with a positive weight.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from typing import Any

from .definitions import CURRENT_DEFINITION, DEFINITIONS

ZERO = Decimal(0)
HUNDRED = Decimal(100)
Z95 = Decimal("1.96")
SCORE_PLACES = Decimal("0.1")
FULL_SCORE, NO_SCORE = Decimal("100.0"), Decimal("0.0")
CI_MIN_SAMPLE = 2
# Range of one response's score per survey, so an interval never claims the impossible (CSAT above 100 %).
SURVEY_SCORE_RANGE: dict[str, tuple[Decimal, Decimal]] = {
    "nps": (Decimal(-1), Decimal(1)),
    "csat": (Decimal(0), Decimal(1)),
    "ces": (Decimal(1), Decimal(7)),
}


class Status(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NEUTRAL = "neutral"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


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
    """A resolved target: values, thresholds, weight, minimum sample and the scope it came from."""

    target: Decimal
    amber: Decimal
    red: Decimal
    weight: Decimal = Decimal(1)
    min_sample: int = 0
    scope: str = "company"


@dataclass(frozen=True)
class Sums:
    """Additive raw sums of one KPI's measurements; adding two gives the sums of the union of rows."""

    rows: int = 0
    value: Decimal = ZERO
    value_x_n: Decimal = ZERO
    n: Decimal = ZERO
    numerator: Decimal = ZERO
    denominator: Decimal = ZERO
    sample_size: int = 0
    sampled_rows: int = 0
    sum_squares: Decimal = ZERO
    squared_rows: int = 0
    last: Decimal | None = None
    # Stock KPIs (see `stock`): bases at the period's edges (added over teams, never days), flows, gaps.
    opening: Decimal = ZERO
    gained: Decimal = ZERO
    lost: Decimal = ZERO
    closing: Decimal = ZERO
    based_teams: int = 0
    opening_gaps: int = 0
    closing_gaps: int = 0

    def __add__(self, other: Sums) -> Sums:
        if not isinstance(other, Sums):
            return NotImplemented
        last = self.last if other.last is None else other.last if self.last is None else self.last + other.last
        return Sums(
            rows=self.rows + other.rows,
            value=self.value + other.value,
            value_x_n=self.value_x_n + other.value_x_n,
            n=self.n + other.n,
            numerator=self.numerator + other.numerator,
            denominator=self.denominator + other.denominator,
            sample_size=self.sample_size + other.sample_size,
            sampled_rows=self.sampled_rows + other.sampled_rows,
            sum_squares=self.sum_squares + other.sum_squares,
            squared_rows=self.squared_rows + other.squared_rows,
            last=last,
            opening=self.opening + other.opening,
            gained=self.gained + other.gained,
            lost=self.lost + other.lost,
            closing=self.closing + other.closing,
            based_teams=self.based_teams + other.based_teams,
            opening_gaps=self.opening_gaps + other.opening_gaps,
            closing_gaps=self.closing_gaps + other.closing_gaps,
        )

    def to_json(self) -> dict[str, Any]:
        return {f.name: _dec_out(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Sums:
        ints = {"rows", "sample_size", "sampled_rows", "squared_rows", "based_teams", "opening_gaps", "closing_gaps"}
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = data.get(f.name)
            if f.name in ints:
                values[f.name] = int(raw or 0)
            elif f.name == "last":
                values[f.name] = None if raw is None else Decimal(raw)
            else:
                values[f.name] = Decimal(raw or 0)
        return cls(**values)


EMPTY_SUMS = Sums()


def total(parts: Iterable[Sums]) -> Sums:
    """The sums of several teams (or days) together."""
    result = Sums()
    for part in parts:
        result = result + part
    return result


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
    amber: Decimal | None
    red: Decimal | None
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
        dec_fields = {"actual", "ci_low", "ci_high", "target", "amber", "red", "score", "attainment"}
        dec_fields |= {"previous", "trend"}
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = data.get(f.name)
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
        return DEFINITIONS.get(self.definition, self.definition)

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


def _dec_out(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


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


def confidence_interval(kpi: KpiSpec, sums: Sums, z: Decimal = Z95) -> tuple[Decimal, Decimal] | None:
    """95 % normal-approximation interval of a survey KPI from (sum, sum of squares, n), clipped to the scale."""
    if not kpi.survey or not sums.squared_rows:
        return None
    total_score, n = survey_sum_and_count(kpi, sums)
    if n < CI_MIN_SAMPLE:
        return None
    mean = total_score / n
    variance = (sums.sum_squares - total_score * mean) / (n - 1)
    variance = max(variance, ZERO)
    with localcontext() as ctx:
        ctx.prec = 28
        half_width = z * (variance / n).sqrt()
    low, high = mean - half_width, mean + half_width
    if kpi.survey in SURVEY_SCORE_RANGE:
        floor, ceiling = SURVEY_SCORE_RANGE[kpi.survey]
        low, high = max(low, floor), min(high, ceiling)
    scale = kpi.scale if kpi.aggregation == Aggregation.RATIO else Decimal(1)
    places = kpi.decimals + 1
    return _rounded(scale * low, places), _rounded(scale * high, places)


def is_at_least_as_good(actual: Decimal, bound: Decimal, direction: str) -> bool:
    """True when `actual` is at or better than `bound` for a KPI of this direction."""
    return actual <= bound if direction == Direction.LOWER else actual >= bound


def status(actual: Decimal | None, target: TargetSpec | None, direction: str, sample: int | None) -> Status:
    """Green/amber/red against the target's thresholds; neutral without data, target or enough sample."""
    if actual is None or target is None:
        return Status.NEUTRAL
    if target.min_sample and (sample or 0) < target.min_sample:
        return Status.NEUTRAL
    if is_at_least_as_good(actual, target.amber, direction):
        return Status.GREEN
    if is_at_least_as_good(actual, target.red, direction):
        return Status.AMBER
    return Status.RED


def score(actual: Decimal | None, target: TargetSpec | None, direction: str) -> Decimal | None:
    """0-100: 100 at or better than target, 0 at or worse than the red threshold, linear between."""
    if actual is None or target is None:
        return None
    if is_at_least_as_good(actual, target.target, direction):
        return FULL_SCORE
    if not is_at_least_as_good(actual, target.red, direction) or actual == target.red:
        return NO_SCORE
    span = target.target - target.red
    value = HUNDRED * (actual - target.red) / span
    return min(max(value, ZERO), HUNDRED).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


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


def composite(lines: Iterable[KpiLine]) -> Decimal | None:
    """Weighted mean score (0-100) of the non-neutral lines with a positive weight; None if none counts."""
    weighted, weights = ZERO, ZERO
    for line in lines:
        if line.status == Status.NEUTRAL or line.score is None or line.weight <= 0:
            continue
        weighted += line.score * line.weight
        weights += line.weight
    if weights == 0:
        return None
    return (weighted / weights).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def kpi_line(kpi: KpiSpec, sums: Sums, target: TargetSpec | None, previous_sums: Sums | None = None) -> KpiLine:
    """Everything a scorecard shows for one KPI, from its sums in this and the previous period."""
    previous_sums = EMPTY_SUMS if previous_sums is None else previous_sums
    actual = round_to(kpi_actual(kpi, sums), kpi.decimals)
    previous = round_to(kpi_actual(kpi, previous_sums), kpi.decimals)
    sample = sample_size(kpi, sums)
    interval = confidence_interval(kpi, sums)
    return KpiLine(
        kpi_code=kpi.code,
        kpi_name=kpi.name,
        unit=kpi.unit,
        decimals=kpi.decimals,
        direction=kpi.direction,
        aggregation=kpi.aggregation,
        actual=actual,
        sample_size=sample,
        ci_low=interval[0] if interval else None,
        ci_high=interval[1] if interval else None,
        target=target.target if target else None,
        amber=target.amber if target else None,
        red=target.red if target else None,
        weight=target.weight if target else ZERO,
        min_sample=target.min_sample if target else 0,
        target_scope=target.scope if target else "",
        status=status(actual, target, kpi.direction, sample).value,
        score=score(actual, target, kpi.direction),
        attainment=attainment(actual, target.target if target else None, kpi.direction),
        previous=previous,
        trend=trend(actual, previous),
        sums=sums,
        previous_sums=previous_sums,
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
) -> Scorecard:
    """A scorecard from per-KPI sums (this and previous period) and resolved targets, keyed by KPI code."""
    lines = {
        kpi.code: kpi_line(kpi, sums.get(kpi.code, EMPTY_SUMS), targets.get(kpi.code), previous_sums.get(kpi.code))
        for kpi in kpis
    }
    return Scorecard(
        level=level, object_id=object_id, period_code=period_code, lines=lines, composite=composite(lines.values())
    )


def resolve_target(
    kpi_code: str, scopes: Iterable[tuple[str, int | None]], targets: Mapping[tuple[str, str, int | None], TargetSpec]
) -> TargetSpec | None:
    """The first target found along `scopes` (most specific first: team, departments up the tree, company)."""
    for scope, object_id in scopes:
        found = targets.get((kpi_code, scope, object_id))
        if found is not None:
            return found
    return None


def thresholds_problem(direction: str, target: Decimal, amber: Decimal, red: Decimal) -> str | None:
    """Why target/amber/red are out of order for this direction (None when they are fine)."""
    if direction == Direction.LOWER:
        if not target <= amber <= red:
            return "For a lower-is-better KPI the target must be at most the amber threshold, and amber at most red."
    elif not target >= amber >= red:
        return "For a higher-is-better KPI the target must be at least the amber threshold, and amber at least red."
    return None
