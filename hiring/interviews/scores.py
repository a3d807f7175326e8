"""Panel scores of applications: interview scorecards loaded in a fixed number of queries, scored by
`hiring.rubrics.calculations`.

Aggregates are always computed from the scorecards the viewing user may see, so a blind interviewer gets
no score (which would leak the panel's view) until their own scorecard is in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from hiring.models import Application, Competency
from hiring.rubrics.calculations import ApplicationAggregate, CompetencySpec, ScorecardInput, aggregate_application

from .reads import visible_scorecards, whole_panel_scorecards


def competency_specs(competencies: Sequence[Competency]) -> tuple[CompetencySpec, ...]:
    return tuple(CompetencySpec(key=c.key, weight=c.weight) for c in competencies)


def _competencies_by_version(version_ids) -> dict[int, list[Competency]]:
    by_version: dict[int, list[Competency]] = defaultdict(list)
    for competency in Competency.objects.filter(version_id__in=set(version_ids)).order_by("order", "pk"):
        by_version[competency.version_id].append(competency)
    return by_version


def scorecard_inputs(scorecards, keys: dict[int, str]) -> dict[int, list[ScorecardInput]]:
    """Scorecards (with prefetched ratings) grouped by application id as pure inputs."""
    by_application: dict[int, list[ScorecardInput]] = defaultdict(list)
    for card in scorecards:
        ratings = {keys[r.competency_id]: r.rating for r in card.ratings.all() if r.competency_id in keys}
        by_application[card.interview.application_id].append(
            ScorecardInput(interviewer_id=card.interviewer_id, ratings=ratings)
        )
    return by_application


def application_aggregates(user, applications: Sequence[Application]) -> dict[int, ApplicationAggregate]:
    """Aggregates of many applications (with `position` loaded) in three queries, whatever their number."""
    return _aggregates(applications, lambda ids: visible_scorecards(user, ids))


def panel_aggregate_for_decision(application: Application) -> ApplicationAggregate:
    """The whole panel's aggregate, for the stage machine's bar check only (never shown to a blind user:
    `decide` refuses a decider still to submit their own scorecard)."""
    return _aggregates([application], whole_panel_scorecards)[application.pk]


def _aggregates(applications: Sequence[Application], scorecards) -> dict[int, ApplicationAggregate]:
    if not applications:
        return {}
    competencies = _competencies_by_version(a.position.rubric_version_id for a in applications)
    keys = {c.pk: c.key for rows in competencies.values() for c in rows}
    cards = scorecard_inputs(scorecards([a.pk for a in applications]), keys)
    return {
        a.pk: aggregate_application(
            competency_specs(competencies[a.position.rubric_version_id]), cards.get(a.pk, []), a.position.bar_score
        )
        for a in applications
    }
