"""Quality of hire: a period's hires with their panel score and 90-day rating (the board report reads this),
and per rubric competency how its interview rating went with the 90-day rating and the team's customer KPI."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from culture.scorecards.periods import PeriodSpan, parse_period, shift_period
from hiring.interviews.reads import visible_scorecards
from hiring.interviews.scores import competency_specs, scorecard_inputs
from hiring.models import Application, Competency, HireRating, Rating, RubricVersion
from hiring.models import Scorecard as InterviewScorecard
from hiring.rubrics.calculations import CompetencySpec, ScorecardInput, aggregate_application

from .calculations import CompetencyPrediction, HireOutcome, competency_predictions


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


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def hires_to_json(quality: HireQuality) -> list[list]:
    """The hires as plain JSON (Decimals as exact strings), to freeze with a closed period."""
    return [[h.team, _text(h.score), str(h.bar), h.meets_bar, _text(h.rating_90_day)] for h in quality.hires]


def hires_from_json(rows: list[list]) -> HireQuality:
    return HireQuality(
        hires=tuple(
            Hire(team=team, score=_decimal(score), bar=Decimal(bar), meets_bar=meets, rating_90_day=_decimal(rating))
            for team, score, bar, meets, rating in rows
        )
    )


def frozen_hires(period, org) -> list[list]:
    """The period's hires as they stand at its close (registered as the "hiring.quality" freezer): a later
    hire with an earlier date, or a 90-day rating given after the close, does not change a closed report."""
    return hires_to_json(hire_quality(period.start, period.end))


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


# --- which competencies predict results -----------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyQualityRow:
    competency: Competency
    prediction: CompetencyPrediction


@dataclass(frozen=True)
class CompetencyQuality:
    """A rubric version's competencies against what followed their hires; `hires` counts reviewed hires."""

    rows: tuple[CompetencyQualityRow, ...]
    hires: int
    kpi_code: str
    min_sample: int

    @property
    def is_enough(self) -> bool:
        return self.hires >= self.min_sample


def _quarter(day: dt.date) -> PeriodSpan:
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def team_kpi_changes(hires: Sequence[Application], kpi_code: str, today: dt.date) -> dict[int, Decimal]:
    """{application id: the team's KPI in the quarter after the hire's minus in the hire's quarter}, unrounded;
    only for hires whose following quarter has ended and whose team has the KPI in both quarters."""
    from culture.scorecards import build_scorecard_series

    spans: dict[int, tuple[str, str]] = {}
    for application in hires:
        if application.hired_on is None:
            continue
        during = _quarter(application.hired_on)
        after = shift_period(during, 1)
        if after.end < today:
            spans[application.pk] = (during.code, after.code)
    if not spans:
        return {}
    codes = sorted({code for pair in spans.values() for code in pair})
    team_ids = sorted({a.position.team_id for a in hires if a.pk in spans})
    series = build_scorecard_series(period_codes=codes, ids=team_ids, kpi_codes=[kpi_code], with_trend=False)

    def value(code: str, team_id: int) -> Decimal | None:
        card = series.get(code, {}).get(team_id)
        line = card.lines.get(kpi_code) if card is not None else None
        if line is None:
            return None
        return line.exact_actual if line.exact_actual is not None else line.actual

    changes: dict[int, Decimal] = {}
    for application in hires:
        if application.pk not in spans:
            continue
        before, later = (value(code, application.position.team_id) for code in spans[application.pk])
        if before is not None and later is not None:
            changes[application.pk] = later - before
    return changes


def competency_quality(version: RubricVersion, *, viewer, today: dt.date | None = None) -> CompetencyQuality:
    """Per competency of a rubric version: its interview rating (through the read path, as the viewer may see
    it) against each reviewed hire's mean 90-day rating and their team's customer KPI change afterwards."""
    today = today or timezone.localdate()
    kpi_code = settings.HIRING_QUALITY_KPI
    min_sample = settings.HIRING_QUALITY_MIN_HIRES
    competencies = list(version.competencies.order_by("order", "pk"))
    keys = {c.pk: c.key for c in competencies}
    hires = list(
        Application.objects.filter(
            position__rubric_version=version, stage=Application.Stage.HIRED, hire_review__reviewed_on__isnull=False
        ).select_related("position")
    )
    cards = scorecard_inputs(visible_scorecards(viewer, [a.pk for a in hires]), keys)
    ratings_90: dict[int, list[int]] = defaultdict(list)
    for application_id, rating in HireRating.objects.filter(review__application__in=hires).values_list(
        "review__application_id", "rating"
    ):
        ratings_90[application_id].append(rating)
    changes = team_kpi_changes(hires, kpi_code, today)
    specs = competency_specs(competencies)
    outcomes = []
    for application in hires:
        aggregate = aggregate_application(specs, cards.get(application.pk, []), None)
        given = ratings_90.get(application.pk)
        outcomes.append(
            HireOutcome(
                interview={s.key: s.mean for s in aggregate.competencies if s.mean is not None},
                rating_90_day=Decimal(sum(given)) / len(given) if given else None,
                kpi_change=changes.get(application.pk),
            )
        )
    predictions = competency_predictions([c.key for c in competencies], outcomes, min_sample=min_sample)
    return CompetencyQuality(
        rows=tuple(CompetencyQualityRow(c, p) for c, p in zip(competencies, predictions, strict=True)),
        hires=len(hires),
        kpi_code=kpi_code,
        min_sample=min_sample,
    )
