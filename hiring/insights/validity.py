"""Rubric validity: interview ratings of a version's hires against their 90-day ratings, per competency."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from hiring.interviews.reads import visible_scorecards
from hiring.interviews.scores import competency_specs, scorecard_inputs
from hiring.models import Application, Competency, HireRating, RubricVersion
from hiring.rubrics.calculations import ScorecardInput, aggregate_application

from .calculations import Validity, competency_validity


@dataclass(frozen=True)
class ValidityRow:
    competency: Competency
    validity: Validity


def rubric_validity(version: RubricVersion, *, viewer) -> tuple[list[ValidityRow], Validity]:
    """Per competency (and for the weighted score), how interview ratings predicted the 90-day rating.

    The interview ratings come through the read path, as the viewer may see them (the blind rule applies).
    """
    competencies = list(version.competencies.order_by("order", "pk"))
    keys = {c.pk: c.key for c in competencies}
    hires = list(
        Application.objects.filter(
            position__rubric_version=version, hire_review__reviewed_on__isnull=False
        ).select_related("position")
    )
    hire_ids = [a.pk for a in hires]
    cards = scorecard_inputs(visible_scorecards(viewer, hire_ids), keys)
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
