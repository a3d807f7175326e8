"""Quality of hire: a period's hires with their panel score and 90-day rating (the board report reads this)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from hiring.models import Application, Competency, HireRating, Rating
from hiring.models import Scorecard as InterviewScorecard
from hiring.rubrics.calculations import CompetencySpec, ScorecardInput, aggregate_application


@dataclass(frozen=True)
class Hire:
    """One hire of the period: interview panel score against the position's bar, and the 90-day rating."""

    team: str
    score: Decimal | None
    bar: Decimal
    meets_bar: bool | None
    rating_90_day: Decimal | None


@dataclass(frozen=True)
class HireQuality:
    """A period's hires; the means are unrounded (round once when shown) and count only the hires that have one."""

    hires: tuple[Hire, ...]

    @property
    def n(self) -> int:
        return len(self.hires)

    @property
    def scores(self) -> list[Decimal]:
        return [h.score for h in self.hires if h.score is not None]

    @property
    def judged(self) -> list[bool]:
        return [h.meets_bar for h in self.hires if h.meets_bar is not None]

    @property
    def ratings_90_day(self) -> list[Decimal]:
        return [h.rating_90_day for h in self.hires if h.rating_90_day is not None]

    @property
    def mean_score(self) -> Decimal | None:
        scored = self.scores
        return sum(scored) / len(scored) if scored else None  # type: ignore[return-value]

    @property
    def meets_bar_percent(self) -> Decimal | None:
        judged = self.judged
        return Decimal(100) * sum(judged) / len(judged) if judged else None

    @property
    def mean_rating_90_day(self) -> Decimal | None:
        rated = self.ratings_90_day
        return sum(rated) / len(rated) if rated else None  # type: ignore[return-value]


def hire_quality(start: dt.date, end: dt.date) -> HireQuality:
    """Hires with `hired_on` in [start, end], oldest first, with panel score and 90-day rating (four queries)."""
    applications = list(
        Application.objects.filter(stage=Application.Stage.HIRED, hired_on__range=(start, end))
        .select_related("position__team")
        .prefetch_related(
            Prefetch(
                "interviews__scorecards",
                queryset=InterviewScorecard.objects.prefetch_related(
                    Prefetch("ratings", queryset=Rating.objects.only("scorecard_id", "competency_id", "rating"))
                ),
            )
        )
        .order_by("hired_on", "pk")
    )
    if not applications:
        return HireQuality(hires=())
    versions = {a.position.rubric_version_id for a in applications}
    competencies: dict[int, list[Competency]] = defaultdict(list)
    for competency in Competency.objects.filter(version_id__in=versions).order_by("order", "pk"):
        competencies[competency.version_id].append(competency)
    keys = {c.pk: c.key for rows in competencies.values() for c in rows}
    ratings_90: dict[int, list[int]] = defaultdict(list)
    for application_id, rating in HireRating.objects.filter(
        review__application__in=[a.pk for a in applications]
    ).values_list("review__application_id", "rating"):
        ratings_90[application_id].append(rating)
    hires = []
    for application in applications:
        specs = tuple(CompetencySpec(c.key, c.weight) for c in competencies[application.position.rubric_version_id])
        cards = [
            ScorecardInput(
                interviewer_id=card.interviewer_id,
                ratings={keys[r.competency_id]: r.rating for r in card.ratings.all() if r.competency_id in keys},
            )
            for interview in application.interviews.all()
            for card in interview.scorecards.all()
        ]
        aggregate = aggregate_application(specs, cards, application.position.bar_score)
        given = ratings_90.get(application.pk)
        hires.append(
            Hire(
                team=application.position.team.name if application.position.team_id else "",
                score=aggregate.score,
                bar=application.position.bar_score,
                meets_bar=aggregate.meets_bar,
                rating_90_day=(Decimal(sum(given)) / len(given)).quantize(Decimal("0.01")) if given else None,
            )
        )
    return HireQuality(hires=tuple(hires))
