"""Hiring insights, pure: interviewer calibration (distance and offset from the panel) and rubric validity
(interview ratings against 90-day ratings). No ORM, no settings; ratings follow `hiring.rubrics.calculations`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from hiring.rubrics.calculations import MEAN_PLACES, ScorecardInput, checked_rating, round_half_up

# Below this many hires a correlation is not reported at all; below INDICATIVE_SAMPLE it is flagged as indicative.
MIN_VALIDITY_SAMPLE = 5
INDICATIVE_SAMPLE = 30


@dataclass(frozen=True)
class InterviewerCalibration:
    """How far an interviewer's ratings sit from the rest of the panel on the same candidates."""

    interviewer_id: int
    compared_ratings: int
    applications: int
    mean_distance: Decimal | None
    mean_offset: Decimal | None

    @property
    def leaning(self) -> str:
        """'lenient', 'harsh' or 'calibrated' by the signed offset (half a point either way)."""
        if self.mean_offset is None:
            return "unknown"
        if self.mean_offset >= Decimal("0.5"):
            return "lenient"
        if self.mean_offset <= Decimal("-0.5"):
            return "harsh"
        return "calibrated"


def interviewer_calibration(panels: Iterable[Sequence[ScorecardInput]]) -> list[InterviewerCalibration]:
    """Per interviewer, the mean |own rating - mean of the other panellists'| over shared competencies.

    Each panel is the scorecards of one application. An interviewer is compared only with others (leave
    one out), only on competencies at least one other panellist rated. Sorted by distance, largest first.
    """
    distances: dict[int, list[Decimal]] = {}
    offsets: dict[int, list[Decimal]] = {}
    applications: dict[int, int] = {}
    for panel in panels:
        seen_in_panel: set[int] = set()
        for card in panel:
            for key, rating in card.ratings.items():
                own = checked_rating(rating)
                if own is None:
                    continue
                others = [
                    valid
                    for other in panel
                    if other is not card and other.interviewer_id != card.interviewer_id
                    if (valid := checked_rating(other.ratings.get(key))) is not None
                ]
                if not others:
                    continue
                offset = Decimal(own) - Decimal(sum(others)) / Decimal(len(others))
                distances.setdefault(card.interviewer_id, []).append(abs(offset))
                offsets.setdefault(card.interviewer_id, []).append(offset)
                seen_in_panel.add(card.interviewer_id)
        for interviewer_id in seen_in_panel:
            applications[interviewer_id] = applications.get(interviewer_id, 0) + 1
    result = [
        InterviewerCalibration(
            interviewer_id=interviewer_id,
            compared_ratings=len(values),
            applications=applications[interviewer_id],
            mean_distance=round_half_up(sum(values, Decimal(0)) / len(values), MEAN_PLACES),
            mean_offset=round_half_up(sum(offsets[interviewer_id], Decimal(0)) / len(values), MEAN_PLACES),
        )
        for interviewer_id, values in distances.items()
    ]
    return sorted(result, key=lambda c: (-(c.mean_distance or 0), c.interviewer_id))


def pearson(xs: Sequence[Decimal | float | int], ys: Sequence[Decimal | float | int]) -> Decimal | None:
    """Pearson correlation rounded to 0.01; None with fewer than 2 pairs or when either side does not vary."""
    if len(xs) != len(ys):
        raise ValueError("xs and ys must have the same length")
    n = len(xs)
    if n < 2:
        return None
    dx = [Decimal(str(x)) for x in xs]
    dy = [Decimal(str(y)) for y in ys]
    mx = sum(dx, Decimal(0)) / n
    my = sum(dy, Decimal(0)) / n
    sxy = sum(((x - mx) * (y - my) for x, y in zip(dx, dy, strict=True)), Decimal(0))
    sxx = sum(((x - mx) ** 2 for x in dx), Decimal(0))
    syy = sum(((y - my) ** 2 for y in dy), Decimal(0))
    if sxx == 0 or syy == 0:
        return None
    r = sxy / (sxx * syy).sqrt()
    return round_half_up(max(Decimal(-1), min(Decimal(1), r)), MEAN_PLACES)


def correlation_interval(r: Decimal, n: int) -> tuple[Decimal, Decimal] | None:
    """Approximate 95 % confidence interval for a correlation (Fisher z); None when n < 4."""
    if n < 4:
        return None
    clipped = max(-0.999999, min(0.999999, float(r)))
    z = math.atanh(clipped)
    half = 1.959964 / math.sqrt(n - 3)
    low, high = math.tanh(z - half), math.tanh(z + half)
    return round_half_up(Decimal(str(low)), MEAN_PLACES), round_half_up(Decimal(str(high)), MEAN_PLACES)


@dataclass(frozen=True)
class Validity:
    """How well a competency's interview score predicted the 90-day rating, with honest sample wording."""

    key: str
    sample_size: int
    correlation: Decimal | None
    interval: tuple[Decimal, Decimal] | None

    @property
    def verdict(self) -> str:
        if self.sample_size < MIN_VALIDITY_SAMPLE:
            return f"Not enough hires yet ({self.sample_size} of at least {MIN_VALIDITY_SAMPLE}); no correlation shown."
        if self.correlation is None:
            return "No variation in the ratings, so no correlation can be computed."
        if self.sample_size < INDICATIVE_SAMPLE:
            return f"Indicative only: {self.sample_size} hires; the 95 % interval is wide."
        return f"Based on {self.sample_size} hires."


def competency_validity(key: str, pairs: Sequence[tuple[Decimal, Decimal | int]]) -> Validity:
    """Correlation of (interview mean, 90-day rating) pairs; suppressed below the minimum sample size."""
    n = len(pairs)
    if n < MIN_VALIDITY_SAMPLE:
        return Validity(key=key, sample_size=n, correlation=None, interval=None)
    r = pearson([p[0] for p in pairs], [p[1] for p in pairs])
    return Validity(key=key, sample_size=n, correlation=r, interval=None if r is None else correlation_interval(r, n))


@dataclass(frozen=True)
class HireOutcome:
    """One reviewed hire: the panel's mean interview rating per competency key, and what followed."""

    interview: dict[str, Decimal]
    rating_90_day: Decimal | None  # the mean of the hire's 90-day ratings
    kpi_change: Decimal | None  # the team's customer KPI in the quarter after the hire minus the hire's quarter


@dataclass(frozen=True)
class Prediction:
    """How one outcome followed one competency's interview rating: n hires, r (None below the minimum n)."""

    sample_size: int
    correlation: Decimal | None
    min_sample: int

    @property
    def is_enough(self) -> bool:
        return self.sample_size >= self.min_sample


@dataclass(frozen=True)
class CompetencyPrediction:
    """A competency's interview rating against the 90-day rating and against the team's KPI change."""

    key: str
    rating_90_day: Prediction
    kpi_change: Prediction


def _prediction(pairs: Sequence[tuple[Decimal, Decimal]], min_sample: int) -> Prediction:
    n = len(pairs)
    r = pearson([p[0] for p in pairs], [p[1] for p in pairs]) if n >= min_sample else None
    return Prediction(sample_size=n, correlation=r, min_sample=min_sample)


def competency_predictions(
    keys: Sequence[str], outcomes: Iterable[HireOutcome], *, min_sample: int
) -> list[CompetencyPrediction]:
    """Per competency (in the given order), Pearson r of interview rating vs each outcome over the hires that
    have both; below `min_sample` hires the r is withheld (None), the n is always given."""
    if min_sample < 2:
        raise ValueError("min_sample must be at least 2")
    rows = list(outcomes)
    result = []
    for key in keys:
        by_rating = [
            (o.interview[key], o.rating_90_day) for o in rows if key in o.interview and o.rating_90_day is not None
        ]
        by_kpi = [(o.interview[key], o.kpi_change) for o in rows if key in o.interview and o.kpi_change is not None]
        result.append(
            CompetencyPrediction(
                key=key,
                rating_90_day=_prediction(by_rating, min_sample),
                kpi_change=_prediction(by_kpi, min_sample),
            )
        )
    return result
