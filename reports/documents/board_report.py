"""Board report PDF (CCO, one period): CX index and trends, league table, red KPIs and actions, value proven.

`gather_board_report` reads every figure in a fixed number of queries whatever the number of teams
(scorecards for all teams, departments and the company at once); `board_format.board_context` turns it
into printable rows; `build` prints it as PDF/A-3a (archival and tagged), the board pack's archive copy.
Every figure names the KPI definition and the period snapshot it came from; the input checksum covers
all of them, including the snapshot checksums of closed periods, so a closed period reproduces byte for byte.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy

from core.pdf import ARCHIVAL, render_template_to_pdf
from culture.models import Department, Kpi, Period, PeriodClosing, ReviewAction, ScorecardSnapshot, Team
from culture.pulse.linkage import board_chain, chain_from_json
from culture.scorecards import (
    COMPANY,
    DEPARTMENT,
    TEAM,
    PeriodSpan,
    build_scorecard_series,
    closed_series,
    current_closing,
    frozen_input,
    load_org,
    parse_period,
    previous_period,
    same_period_last_year,
    series_codes,
    year_index,
)
from hiring.insights import hire_quality, hires_from_json
from incentives import incentive_spend

from ..frozen import baseline_of, value_model_from_json, value_model_in_force
from . import NO_STAMP, BuiltDocument, DocumentKind, Progress, Stamp, register
from .board_data import BoardData, RedAction
from .board_format import board_context
from .common import closing_key, input_checksum

TREND_PERIODS = 12
TEMPLATE = "pdf/board_report.html"


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


def _actions(code: str, closing: PeriodClosing | None) -> dict[tuple[int, str], RedAction]:
    """The review actions of the period: as frozen at the close for a closed period, else as they stand."""
    if closing is not None:
        return {
            (int(team), kpi): RedAction(kpi, a["comment"], a["action"], a["owner"], parse_date(a["due"]), a["status"])
            for team, review in closing.reviews.items()
            for kpi, a in review["actions"].items()
        }
    return {
        (a.review.team_id, a.kpi.code): RedAction(a.kpi.code, a.comment, a.action, a.owner.name, a.due_date)
        for a in ReviewAction.objects.filter(review__period__code=code).select_related("review", "kpi", "owner")
    }


def trend_codes(span: PeriodSpan) -> list[str]:
    """The periods a trend chart shows: a year report by its twelve months, any other the last 12 of its kind."""
    if span.kind == "year":
        return [f"{span.start.year}-{month:02d}" for month in range(1, 13)]
    return series_codes(span.code, TREND_PERIODS)


def _ints(mapping: Mapping[str, Any]) -> dict[int, Any]:
    return {int(key): value for key, value in mapping.items()}


def gather_board_report(*, period_code: str, chain: bool = False) -> BoardData:
    """All figures of a period's board report, in a number of queries that does not grow with teams.
    `chain`: add the service-profit chain (only when the CCO asked for it).

    A closed period reads only what its close froze (`PeriodClosing`): its snapshots, the comparison periods
    (trend, previous period, last year, the year's months, the value baseline), and the inputs other apps froze
    with it (names and the org tree, KPI definitions, the chain, incentive spend, hires, the value model).
    A closing written before an input was frozen falls back to reading that input live."""
    span = parse_period(period_code)
    code = span.code
    previous_code = previous_period(span).code
    last_year_code = same_period_last_year(span).code
    codes = trend_codes(span)
    period = Period.objects.filter(code=code).first()
    closing = current_closing(code) if period is not None and period.is_closed else None
    has_org, frozen_org = frozen_input(closing, "culture.org")
    has_value_model, frozen_model = frozen_input(closing, "reports.value_model")
    has_spend, frozen_spend = frozen_input(closing, "incentives.spend")
    has_hires, frozen_hires = frozen_input(closing, "hiring.quality")
    has_chain, frozen_chain = frozen_input(closing, "culture.chain")
    org = load_org()
    value_model = value_model_from_json(frozen_model) if has_value_model else value_model_in_force(code)
    baseline_code = baseline_of(value_model, code)
    extra = [c for c in (code, previous_code, last_year_code, baseline_code) if c]
    company_codes = list(dict.fromkeys([*codes, *extra]))
    # A closed period's comparison periods come from its closing, frozen with it (culture.scorecards.closing).
    series = closed_series(period_code=code, codes=company_codes, level=COMPANY, org=org, closing=closing)
    company = {c: cards[None] for c, cards in series.items()}
    if has_org:
        # The teams and departments as they were at the close: a team added, moved or renamed since changes nothing.
        team_departments = {team: int(dept) for team, dept in _ints(frozen_org["team_department"]).items()}
        department_parents = _ints(frozen_org["department_parents"])
        team_names, department_names = _ints(frozen_org["teams"]), _ints(frozen_org["departments"])
        definitions = dict(frozen_org["definitions"])
        team_ids, department_ids = list(frozen_org["active_teams"]), list(department_names)
    else:
        team_departments, department_parents = dict(org.team_department), dict(org.department_parent)
        department_names = dict(Department.objects.values_list("pk", "name"))
        definitions = dict(Kpi.objects.order_by("code").values_list("code", "definition"))
        team_ids, department_ids = None, None
    departments = build_scorecard_series(period_codes=[code], level=DEPARTMENT, ids=department_ids, org=org)[code]
    teams = build_scorecard_series(period_codes=[code], level=TEAM, ids=team_ids, org=org)[code]
    if not has_org:
        team_names = dict(Team.objects.filter(pk__in=list(teams)).values_list("pk", "name"))
    actions = _actions(code, closing)
    currency = value_model.currency if value_model else None
    # by currency; the value model's currency is the headline figure
    other = {c: Decimal(a) for c, a in frozen_spend.items()} if has_spend else incentive_spend(code)
    spend = other.pop(currency, Decimal(0)) if currency else Decimal(0)
    # A year's CX index: its own composite, else the one over its months with targets (frozen with a closed year).
    index = None
    if span.kind == "year":
        index = year_index(code, org=org, year_card=company[code], closing=closing, levels=True)
        if index.partial and index.departments is not None:
            # A part year has no department composites of its own: its league tables rank the departments over
            # the months with targets, as its CX index does (frozen with a closed year, like the index).
            departments = {d: card for d, card in index.departments.items() if d in departments}
    board = None
    if chain:
        board = chain_from_json(frozen_chain) if has_chain else board_chain(code)
    return BoardData(
        period_code=code,
        previous_code=previous_code,
        last_year_code=last_year_code,
        codes=codes,
        period=period,
        company=company,
        departments=dict(departments),  # type: ignore[arg-type]
        teams=dict(teams),  # type: ignore[arg-type]
        department_names=department_names,
        team_names=team_names,
        team_departments=team_departments,
        actions=actions,
        # A closed report covers its own snapshots and its closing (which froze the comparison periods).
        snapshots=_snapshot_checksums([code] if closing else company_codes),
        closing_checksum=closing.checksum if closing else "",
        closing_version=closing.version if closing else 0,
        close_reason=closing.reason if closing and closing.checklist else "",
        close_open_items=dict(closing.checklist) if closing else {},
        definitions=definitions,
        value_model=value_model,
        incentive_spend=spend,
        other_currency_spend=other,
        hiring=hires_from_json(frozen_hires) if has_hires else hire_quality(span.start, span.end),
        department_parents=department_parents,
        baseline_code=baseline_code,
        chain=board,
        year_index=index,
    )


def render_board_report(
    data: BoardData, *, fetcher=None, variant: str = ARCHIVAL, stamp: Stamp = NO_STAMP
) -> tuple[bytes, str]:
    """The PDF bytes and the input checksum of a board report."""
    checksum = input_checksum(data.evidence())
    context = {**board_context(data, checksum), **stamp.context()}
    return render_template_to_pdf(TEMPLATE, context, variant=variant, fetcher=fetcher), checksum


def clean_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {"period": parse_period(str(params.get("period", "")).strip()).code}
    if params.get("chain") is True:
        cleaned["chain"] = True
    return cleaned


def is_final(params: Mapping[str, Any]) -> bool:
    return Period.objects.filter(code=params["period"], status=Period.Status.CLOSED).exists()


def build(params: Mapping[str, Any], progress: Progress, stamp: Stamp = NO_STAMP) -> BuiltDocument:
    data = gather_board_report(period_code=params["period"], chain=params.get("chain") is True)
    progress(40)
    pdf, checksum = render_board_report(data, stamp=stamp)
    progress(95)
    return BuiltDocument(content=pdf, filename=f"board-report-{data.period_code}.pdf", input_checksum=checksum)


KIND = register(
    DocumentKind(
        kind="board_report",
        label=gettext_lazy("Board report"),
        permission="reports.change_valuemodel",
        build=build,
        clean_parameters=clean_parameters,
        is_final=is_final,
        frozen_key=closing_key,
        # 2: verification code, draft watermark, comparisons frozen at the close; 3: a year's CX index over its
        # months with targets, and an open year's own figures (read beside its months, they were empty); 4: a part
        # year's league tables over the same months
        template_version=4,
    )
)
