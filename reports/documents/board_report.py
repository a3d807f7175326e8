"""Board report PDF (CCO, one period): CX index and trends, league table, red KPIs and actions, value proven.

`gather_board_report` reads every figure in a fixed number of queries whatever the number of teams
(scorecards for all teams, departments and the company at once); `board_format.board_context` turns it
into printable rows; `build` prints it as PDF/A-3a (archival and tagged), the board pack's archive copy.
Every figure names the KPI definition and the period snapshot it came from; the input checksum covers
all of them, including the snapshot checksums of closed periods, so a closed period reproduces byte for byte.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Sum

from core.pdf import ARCHIVAL, render_template_to_pdf
from culture.models import Department, Kpi, Period, ReviewAction, ScorecardSnapshot, Team
from culture.scorecards import (
    COMPANY,
    DEPARTMENT,
    TEAM,
    Scorecard,
    build_scorecard_series,
    load_org,
    parse_period,
    previous_period,
    same_period_last_year,
    series_codes,
)
from hiring.calculations import CompetencySpec, ScorecardInput, aggregate_application
from hiring.models import Application, Competency, HireRating, Rating
from hiring.models import Scorecard as InterviewScorecard
from incentives.models import Adjustment, PayoutRun

from ..models import ValueModel
from . import BuiltDocument, DocumentKind, Progress, register
from .common import input_checksum

TREND_PERIODS = 12
TEMPLATE = "pdf/board_report.html"


@dataclass(frozen=True)
class HireFacts:
    """One hire of the period: interview panel score against the position's bar, and the 90-day rating."""

    team: str
    score: Decimal | None
    bar: Decimal
    meets_bar: bool | None
    rating_90_day: Decimal | None


@dataclass(frozen=True)
class RedAction:
    kpi_code: str
    comment: str
    action: str
    owner: str
    due: dt.date


@dataclass(frozen=True)
class BoardData:
    """Every figure of one period's board report, read once."""

    period_code: str
    previous_code: str
    last_year_code: str
    codes: list[str]
    period: Period | None
    company: dict[str, Scorecard]
    departments: dict[int, Scorecard]
    teams: dict[int, Scorecard]
    department_names: dict[int, str]
    team_names: dict[int, str]
    team_departments: dict[int, int]
    actions: dict[tuple[int, str], RedAction]
    snapshots: dict[str, dict[str, str]]
    definitions: dict[str, str]
    value_model: ValueModel | None
    incentive_spend: Decimal
    other_currency_spend: dict[str, Decimal]
    hires: list[HireFacts]

    @property
    def is_final(self) -> bool:
        return bool(self.period and self.period.is_closed)

    def evidence(self) -> dict[str, Any]:
        """What the input checksum covers: every figure the report prints, and where each came from."""
        vm = self.value_model
        return {
            "document": "board_report",
            "period": self.period_code,
            "period_closed": self.is_final,
            "company": {code: card.to_json() for code, card in self.company.items()},
            "departments": {str(i): c.to_json() for i, c in sorted(self.departments.items())},
            "department_names": {str(i): n for i, n in sorted(self.department_names.items())},
            "teams": {str(i): c.to_json() for i, c in sorted(self.teams.items())},
            "team_names": {str(i): n for i, n in sorted(self.team_names.items())},
            "actions": {
                f"{team}:{code}": [a.comment, a.action, a.owner, a.due]
                for (team, code), a in sorted(self.actions.items())
            },
            "snapshots": self.snapshots,
            "definitions": self.definitions,
            "value_model": None
            if vm is None
            else {
                "currency": vm.currency,
                "customers": vm.customers,
                "revenue_per_customer": vm.revenue_per_customer,
                "cost_per_assisted_contact": vm.cost_per_assisted_contact,
                "cost_per_self_service_contact": vm.cost_per_self_service_contact,
            },
            "incentive_spend": self.incentive_spend,
            "other_currency_spend": self.other_currency_spend,
            "hires": [[h.team, h.score, h.bar, h.meets_bar, h.rating_90_day] for h in self.hires],
        }


def _snapshot_checksums(codes: list[str]) -> dict[str, dict[str, str]]:
    """Closed periods' snapshot checksums by period code and scope ("company", "department:3", "team:7")."""
    result: dict[str, dict[str, str]] = defaultdict(dict)
    rows = ScorecardSnapshot.objects.filter(period__code__in=codes, period__status=Period.Status.CLOSED)
    for code, level, team_id, department_id, checksum in rows.values_list(
        "period__code", "level", "team_id", "department_id", "checksum"
    ):
        scope = {TEAM: f"team:{team_id}", DEPARTMENT: f"department:{department_id}"}.get(level, COMPANY)
        result[code][scope] = checksum
    return {code: dict(sorted(scopes.items())) for code, scopes in sorted(result.items())}


def _spend(period_code: str, currency: str | None) -> tuple[Decimal, dict[str, Decimal]]:
    """Approved and paid payout runs of the period's plans plus their adjustments, by currency."""
    by_currency: dict[str, Decimal] = defaultdict(Decimal)
    runs = PayoutRun.objects.filter(plan__period__code=period_code).locked()
    for row in runs.values("currency").order_by("currency").annotate(total=Sum("total")):
        by_currency[row["currency"]] += row["total"] or Decimal(0)
    adjustments = Adjustment.objects.filter(run__in=runs).values("run__currency").order_by("run__currency")
    for row in adjustments.annotate(total=Sum("amount")):
        by_currency[row["run__currency"]] += row["total"] or Decimal(0)
    main = by_currency.pop(currency, Decimal(0)) if currency else Decimal(0)
    return main, dict(sorted(by_currency.items()))


def _hires(span_start: dt.date, span_end: dt.date) -> list[HireFacts]:
    """Hires of the period with their panel's service-orientation score and 90-day rating (four queries)."""
    applications = list(
        Application.objects.filter(stage=Application.Stage.HIRED, hired_on__range=(span_start, span_end))
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
        return []
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
    facts = []
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
        facts.append(
            HireFacts(
                team=application.position.team.name if application.position.team_id else "",
                score=aggregate.score,
                bar=application.position.bar_score,
                meets_bar=aggregate.meets_bar,
                rating_90_day=(Decimal(sum(given)) / len(given)).quantize(Decimal("0.01")) if given else None,
            )
        )
    return facts


def gather_board_report(*, period_code: str) -> BoardData:
    """All figures of a period's board report, in a number of queries that does not grow with teams."""
    span = parse_period(period_code)
    code = span.code
    previous_code = previous_period(span).code
    last_year_code = same_period_last_year(span).code
    codes = series_codes(code, TREND_PERIODS)
    org = load_org()
    company_codes = list(dict.fromkeys([*codes, last_year_code]))
    company = {
        c: cards[None]
        for c, cards in build_scorecard_series(period_codes=company_codes, level=COMPANY, org=org).items()
    }
    departments = build_scorecard_series(period_codes=[code], level=DEPARTMENT, org=org)[code]
    teams = build_scorecard_series(period_codes=[code], level=TEAM, org=org)[code]
    period = Period.objects.filter(code=code).first()
    actions = {
        (a.review.team_id, a.kpi.code): RedAction(a.kpi.code, a.comment, a.action, a.owner.name, a.due_date)
        for a in ReviewAction.objects.filter(review__period__code=code).select_related("review", "kpi", "owner")
    }
    value_model = ValueModel.objects.filter(period__code=code).first()
    spend, other = _spend(code, value_model.currency if value_model else None)
    return BoardData(
        period_code=code,
        previous_code=previous_code,
        last_year_code=last_year_code,
        codes=codes,
        period=period,
        company=company,
        departments=dict(departments),  # type: ignore[arg-type]
        teams=dict(teams),  # type: ignore[arg-type]
        department_names=dict(Department.objects.values_list("pk", "name")),
        team_names=dict(Team.objects.filter(pk__in=list(teams)).values_list("pk", "name")),
        team_departments=dict(org.team_department),
        actions=actions,
        snapshots=_snapshot_checksums(company_codes),
        definitions=dict(Kpi.objects.order_by("code").values_list("code", "definition")),
        value_model=value_model,
        incentive_spend=spend,
        other_currency_spend=other,
        hires=_hires(span.start, span.end),
    )


def render_board_report(data: BoardData, *, fetcher=None, variant: str = ARCHIVAL) -> tuple[bytes, str]:
    """The PDF bytes and the input checksum of a board report."""
    from .board_format import board_context

    checksum = input_checksum(data.evidence())
    return render_template_to_pdf(TEMPLATE, board_context(data, checksum), variant=variant, fetcher=fetcher), checksum


def clean_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    return {"period": parse_period(str(params.get("period", "")).strip()).code}


def is_final(params: Mapping[str, Any]) -> bool:
    return Period.objects.filter(code=params["period"], status=Period.Status.CLOSED).exists()


def build(params: Mapping[str, Any], progress: Progress) -> BuiltDocument:
    data = gather_board_report(period_code=params["period"])
    progress(40)
    pdf, checksum = render_board_report(data)
    progress(95)
    return BuiltDocument(content=pdf, filename=f"board-report-{data.period_code}.pdf", input_checksum=checksum)


KIND = register(
    DocumentKind(
        kind="board_report",
        label="Board report",
        permission="reports.change_valuemodel",
        build=build,
        clean_parameters=clean_parameters,
        is_final=is_final,
    )
)
