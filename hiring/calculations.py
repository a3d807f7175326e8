"""Pure hiring math: rubric aggregation, interviewer calibration and rubric validity. No ORM, no settings.

Conventions
- A rating is an int 1-5 or None (not assessed / N/A). None never counts as a low score: it is left out
  and the weights of the competencies that were rated are renormalised.
- The service-orientation score maps the weighted panel mean from 1..5 onto 0..100: 1 -> 0, 3 -> 50, 5 -> 100.
- Decimals are rounded once, at the end, with ROUND_HALF_UP.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MIN_RATING = 1
MAX_RATING = 5
DISAGREEMENT_POINTS = 2
SCORE_PLACES = Decimal("0.1")
MEAN_PLACES = Decimal("0.01")
# Below this many hires a correlation is not reported at all; below INDICATIVE_SAMPLE it is flagged as indicative.
MIN_VALIDITY_SAMPLE = 5
INDICATIVE_SAMPLE = 30


@dataclass(frozen=True)
class CompetencySpec:
    """A competency's key and weight, as the math needs it."""

    key: str
    weight: Decimal


@dataclass(frozen=True)
class ScorecardInput:
    """One interviewer's ratings by competency key (None or absent = not assessed)."""

    interviewer_id: int
    ratings: Mapping[str, int | None]


@dataclass(frozen=True)
class CompetencySummary:
    """The panel's view of one competency: how many rated it, their mean, their spread (max - min)."""

    key: str
    count: int
    mean: Decimal | None
    spread: int | None

    @property
    def has_disagreement(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT_POINTS


@dataclass(frozen=True)
class ApplicationAggregate:
    """The weighted score, per-competency summaries, disagreement flag and bar verdict of one application."""

    score: Decimal | None
    competencies: tuple[CompetencySummary, ...]
    scorecard_count: int
    meets_bar: bool | None

    @property
    def has_disagreement(self) -> bool:
        return any(summary.has_disagreement for summary in self.competencies)

    def summary_for(self, key: str) -> CompetencySummary | None:
        return next((summary for summary in self.competencies if summary.key == key), None)


def _round(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def _valid(rating: int | None) -> int | None:
    if rating is None:
        return None
    if not MIN_RATING <= rating <= MAX_RATING:
        raise ValueError(f"rating {rating} is outside {MIN_RATING}-{MAX_RATING}")
    return rating


def competency_summary(key: str, ratings: Iterable[int | None]) -> CompetencySummary:
    """Count, exact mean (rounded to 0.01) and spread of the given ratings, ignoring None."""
    given = [r for r in (_valid(r) for r in ratings) if r is not None]
    if not given:
        return CompetencySummary(key=key, count=0, mean=None, spread=None)
    mean = Decimal(sum(given)) / Decimal(len(given))
    return CompetencySummary(key=key, count=len(given), mean=_round(mean, MEAN_PLACES), spread=max(given) - min(given))


def weighted_score(competencies: Sequence[CompetencySpec], means: Mapping[str, Decimal | None]) -> Decimal | None:
    """Weighted mean of the rated competencies mapped onto 0-100; None when nothing was rated."""
    total_weight = Decimal(0)
    total = Decimal(0)
    for competency in competencies:
        mean = means.get(competency.key)
        if mean is None:
            continue
        if competency.weight <= 0:
            raise ValueError(f"weight of {competency.key} must be positive")
        total_weight += competency.weight
        total += competency.weight * (Decimal(mean) - MIN_RATING)
    if total_weight == 0:
        return None
    return _round(total / total_weight * Decimal(100) / (MAX_RATING - MIN_RATING), SCORE_PLACES)


def aggregate_application(
    competencies: Sequence[CompetencySpec], scorecards: Sequence[ScorecardInput], bar_score: Decimal | None
) -> ApplicationAggregate:
    """Summaries per competency, weighted score from the unrounded panel means, and whether it meets the bar."""
    summaries = []
    exact_means: dict[str, Decimal | None] = {}
    for competency in competencies:
        ratings = [card.ratings.get(competency.key) for card in scorecards]
        summaries.append(competency_summary(competency.key, ratings))
        given = [r for r in ratings if r is not None]
        exact_means[competency.key] = Decimal(sum(given)) / Decimal(len(given)) if given else None
    score = weighted_score(competencies, exact_means)
    meets = None if score is None or bar_score is None else score >= bar_score
    return ApplicationAggregate(
        score=score, competencies=tuple(summaries), scorecard_count=len(scorecards), meets_bar=meets
    )


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
                own = _valid(rating)
                if own is None:
                    continue
                others = [
                    valid
                    for other in panel
                    if other is not card and other.interviewer_id != card.interviewer_id
                    if (valid := _valid(other.ratings.get(key))) is not None
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
            mean_distance=_round(sum(values, Decimal(0)) / len(values), MEAN_PLACES),
            mean_offset=_round(sum(offsets[interviewer_id], Decimal(0)) / len(values), MEAN_PLACES),
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
    return _round(max(Decimal(-1), min(Decimal(1), r)), MEAN_PLACES)


def correlation_interval(r: Decimal, n: int) -> tuple[Decimal, Decimal] | None:
    """Approximate 95 % confidence interval for a correlation (Fisher z); None when n < 4."""
    if n < 4:
        return None
    clipped = max(-0.999999, min(0.999999, float(r)))
    z = math.atanh(clipped)
    half = 1.959964 / math.sqrt(n - 3)
    low, high = math.tanh(z - half), math.tanh(z + half)
    return _round(Decimal(str(low)), MEAN_PLACES), _round(Decimal(str(high)), MEAN_PLACES)


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
