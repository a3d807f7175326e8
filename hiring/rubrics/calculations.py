"""Rubric scores, pure: a panel's ratings on a rubric version -> per-competency summaries, a weighted
0-100 score, and whether it meets the bar. No ORM, no settings.

Conventions
- A rating is an int 1-5 or None (not assessed / N/A). None never counts as a low score: it is left out
  and the weights of the competencies that were rated are renormalised.
- The service-orientation score maps the weighted panel mean from 1..5 onto 0..100: 1 -> 0, 3 -> 50, 5 -> 100.
- Decimals are rounded once, at the end, with ROUND_HALF_UP.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MIN_RATING = 1
MAX_RATING = 5
DISAGREEMENT_POINTS = 2
SCORE_PLACES = Decimal("0.1")
MEAN_PLACES = Decimal("0.01")


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


def round_half_up(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def checked_rating(rating: int | None) -> int | None:
    if rating is None:
        return None
    if not MIN_RATING <= rating <= MAX_RATING:
        raise ValueError(f"rating {rating} is outside {MIN_RATING}-{MAX_RATING}")
    return rating


def competency_summary(key: str, ratings: Iterable[int | None]) -> CompetencySummary:
    """Count, exact mean (rounded to 0.01) and spread of the given ratings, ignoring None."""
    given = [r for r in (checked_rating(r) for r in ratings) if r is not None]
    if not given:
        return CompetencySummary(key=key, count=0, mean=None, spread=None)
    mean = Decimal(sum(given)) / Decimal(len(given))
    return CompetencySummary(
        key=key, count=len(given), mean=round_half_up(mean, MEAN_PLACES), spread=max(given) - min(given)
    )


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
    return round_half_up(total / total_weight * Decimal(100) / (MAX_RATING - MIN_RATING), SCORE_PLACES)


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
