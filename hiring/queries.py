"""Read side: load rows in a fixed number of queries, turn them into dataclasses, hand them to the pure math.

Aggregates are always computed from the scorecards the viewing user may see, so a blind interviewer gets
no score (which would leak the panel's view) until their own scorecard is in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from .calculations import (
    ApplicationAggregate,
    CompetencySpec,
    InterviewerCalibration,
    ScorecardInput,
    Validity,
    aggregate_application,
    competency_validity,
    interviewer_calibration,
)
from .models import Application, Competency, HireRating, Rating, RubricVersion, Scorecard


def competency_specs(competencies: Sequence[Competency]) -> tuple[CompetencySpec, ...]:
    return tuple(CompetencySpec(key=c.key, weight=c.weight) for c in competencies)


def _competencies_by_version(version_ids) -> dict[int, list[Competency]]:
    by_version: dict[int, list[Competency]] = defaultdict(list)
    for competency in Competency.objects.filter(version_id__in=set(version_ids)).order_by("order", "pk"):
        by_version[competency.version_id].append(competency)
    return by_version


def _scorecard_inputs(scorecards, keys: dict[int, str]) -> dict[int, list[ScorecardInput]]:
    """Scorecards (with prefetched ratings) grouped by application id as pure inputs."""
    by_application: dict[int, list[ScorecardInput]] = defaultdict(list)
    for card in scorecards:
        ratings = {keys[r.competency_id]: r.rating for r in card.ratings.all() if r.competency_id in keys}
        by_application[card.interview.application_id].append(
            ScorecardInput(interviewer_id=card.interviewer_id, ratings=ratings)
        )
    return by_application


def visible_scorecards(user, application_ids):
    return (
        Scorecard.objects.visible_to(user)
        .filter(interview__application_id__in=application_ids)
        .select_related("interview")
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.only("scorecard_id", "competency_id", "rating")))
    )


def application_aggregates(user, applications: Sequence[Application]) -> dict[int, ApplicationAggregate]:
    """Aggregates of many applications (with `position` loaded) in three queries, whatever their number."""
    if not applications:
        return {}
    competencies = _competencies_by_version(a.position.rubric_version_id for a in applications)
    keys = {c.pk: c.key for rows in competencies.values() for c in rows}
    cards = _scorecard_inputs(visible_scorecards(user, [a.pk for a in applications]), keys)
    return {
        a.pk: aggregate_application(
            competency_specs(competencies[a.position.rubric_version_id]), cards.get(a.pk, []), a.position.bar_score
        )
        for a in applications
    }


def calibration_of(scorecards) -> list[InterviewerCalibration]:
    """Every interviewer's distance from their panels over the given scorecards (ratings prefetched)."""
    keys = dict(Competency.objects.values_list("pk", "key"))  # rubrics are small: a handful of rows each
    return interviewer_calibration(_scorecard_inputs(scorecards, keys).values())


@dataclass(frozen=True)
class ValidityRow:
    competency: Competency
    validity: Validity


def rubric_validity(version: RubricVersion) -> tuple[list[ValidityRow], Validity]:
    """Per competency (and for the weighted score), how interview ratings predicted the 90-day rating."""
    competencies = list(version.competencies.order_by("order", "pk"))
    keys = {c.pk: c.key for c in competencies}
    hires = list(
        Application.objects.filter(position__rubric_version=version, hire_review__isnull=False).select_related(
            "position"
        )
    )
    hire_ids = [a.pk for a in hires]
    cards = _scorecard_inputs(
        Scorecard.objects.filter(interview__application_id__in=hire_ids)
        .select_related("interview")
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.only("scorecard_id", "competency_id", "rating"))),
        keys,
    )
    later: dict[int, dict[str, int]] = defaultdict(dict)
    for row in HireRating.objects.filter(review__application_id__in=hire_ids).values(
        "review__application_id", "competency_id", "rating"
    ):
        if row["competency_id"] in keys:
            later[row["review__application_id"]][keys[row["competency_id"]]] = row["rating"]
    specs = competency_specs(competencies)
    pairs: dict[str, list[tuple[Decimal, int]]] = defaultdict(list)
    overall: list[tuple[Decimal, Decimal]] = []
    for application in hires:
        aggregate = aggregate_application(specs, cards.get(application.pk, []), None)
        ninety = later.get(application.pk, {})
        for summary in aggregate.competencies:
            if summary.mean is not None and summary.key in ninety:
                pairs[summary.key].append((summary.mean, ninety[summary.key]))
        later_score = aggregate_application(specs, [ScorecardInput(interviewer_id=0, ratings=ninety)], None).score
        if aggregate.score is not None and later_score is not None:
            overall.append((aggregate.score, later_score))
    rows = [ValidityRow(competency=c, validity=competency_validity(c.key, pairs[c.key])) for c in competencies]
    return rows, competency_validity("weighted_score", overall)
