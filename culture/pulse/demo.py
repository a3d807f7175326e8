"""Demo pulses for `seed_demo`: four closed quarterly pulses and one open now, whose engagement follows each
team's customer NPS in the quarter before (standardised across teams) plus noise, so that a chart of
engagement against a customer KPI shows a real, imperfect relation. Runs after the measurements."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Sum

from ..models import Measurement, PulseAnswer, PulseInvitation, PulseQuestion, Team
from .services import install_standard_library, publish_pulse

QUARTERS = 4
ENGAGEMENT_WEIGHT = 0.7  # how strongly engagement follows the customer KPI, against unit noise


@dataclass(frozen=True)
class DemoPulses:
    pulses: int
    answers: int


def _team_nps(team_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[int, float]:
    """Each team's customer NPS over [start, end] from the measurements (sums, not a mean of days)."""
    rows = (
        Measurement.objects.filter(team_id__in=team_ids, kpi__code="nps", date__range=(start, end))
        .values("team_id")
        .annotate(num=Sum("numerator"), den=Sum("denominator"))
    )
    return {row["team_id"]: float(100 * row["num"] / row["den"]) for row in rows if row["den"]}


def _standardised(values: dict[int, float]) -> dict[int, float]:
    if len(values) < 2:
        return dict.fromkeys(values, 0.0)
    mean, spread = statistics.fmean(values.values()), statistics.pstdev(values.values()) or 1.0
    return {key: (value - mean) / spread for key, value in values.items()}


def _scores(rng: random.Random, engagement: float, questions: list[PulseQuestion]) -> dict[PulseQuestion, int]:
    person = engagement + rng.gauss(0, 0.8)
    scores = {}
    for question in questions:
        if question.kind == PulseQuestion.Kind.ENPS:
            scores[question] = max(0, min(10, round(7.2 + 1.6 * person + rng.gauss(0, 1.2))))
        else:
            scores[question] = max(1, min(5, round(3.5 + 0.6 * person + rng.gauss(0, 0.6))))
    return scores


def seed_pulses(*, rng: random.Random, teams: Sequence[Team], today: dt.date, actor) -> DemoPulses:
    """Quarterly pulses to every team over the last year (answered), and one open now (invitations only)."""
    version = install_standard_library(actor=actor)
    questions = list(version.questions.all())
    team_ids = [team.pk for team in teams]
    answers: list[PulseAnswer] = []
    count = 0
    previous = None
    for quarter in range(QUARTERS, 0, -1):
        closes = today - dt.timedelta(days=91 * quarter - 80)
        opens = closes - dt.timedelta(days=13)
        kpi = _standardised(_team_nps(team_ids, opens - dt.timedelta(days=90), opens))
        pulse = publish_pulse(
            actor=actor,
            title=f"Pulse {closes:%Y-%m}",
            library_version=version,
            teams=teams,
            opens_on=opens,
            closes_on=closes,
            repeat_every_months=3,
            follows=previous,  # a chain, so that the schedule does not publish these again
        )
        previous = pulse
        count += 1
        answered: list[int] = []
        for invitation in PulseInvitation.objects.filter(pulse=pulse).order_by("pk"):
            engagement = ENGAGEMENT_WEIGHT * kpi.get(invitation.team_id, 0.0) + rng.gauss(0, 0.5)
            if rng.random() < 0.72 + 0.08 * engagement:
                answered.append(invitation.pk)
                response = uuid.uuid4()
                answers.extend(
                    PulseAnswer(response=response, pulse=pulse, team_id=invitation.team_id, question=q, score=s)
                    for q, s in _scores(rng, engagement, questions).items()
                )
        PulseInvitation.objects.filter(pk__in=answered).update(has_answered=True)
    rng.shuffle(answers)  # no insertion order that follows the invitations
    PulseAnswer.objects.bulk_create(answers, batch_size=2000)
    publish_pulse(
        actor=actor,
        title=f"Pulse {today:%Y-%m}",
        library_version=version,
        teams=teams,
        opens_on=today - dt.timedelta(days=2),
        closes_on=today + dt.timedelta(days=12),
        repeat_every_months=3,
        follows=previous,
    )
    return DemoPulses(pulses=count + 1, answers=len(answers))
