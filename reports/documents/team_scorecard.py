"""Team scorecard PDF: one team, one period — composite, KPI table, 12-period trend charts, the lead's review.

`gather_team_scorecards` reads every figure for any number of teams in a fixed number of queries (the
batch job uses it for all teams at once); `team_scorecard_context` is pure formatting; `build_team_scorecard`
prints one team. A closed period reads frozen snapshots, so its PDF is reproduced byte for byte.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy

from core.charts import trend_chart
from core.pdf import ACCESSIBLE, render_template_to_pdf
from culture.models import Kpi, Period, PeriodClosing, Review, ReviewAction, ScorecardSnapshot, Team
from culture.scorecards import (
    TEAM,
    Scorecard,
    closed_series,
    current_closing,
    frozen_input,
    kpi_sparkline,
    kpi_trend_chart,
    load_org,
    parse_period,
    series_codes,
)

from . import NO_STAMP, BuiltDocument, DocumentKind, Progress, Stamp, register
from .common import closing_key, input_checksum, line_row, number, signed

TREND_PERIODS = 12
TEMPLATE = "pdf/team_scorecard.html"


@dataclass(frozen=True)
class TeamScorecardData:
    """Everything one team's scorecard PDF shows; `evidence` is what the input checksum covers."""

    team: Team
    period_code: str
    period: Period | None
    codes: list[str]
    series: dict[str, Scorecard]
    review: ReviewRow | None
    snapshot_checksum: str
    definitions: dict[str, str] = field(default_factory=dict)
    # As printed: frozen at the close for a closed period (a rename or a move afterwards changes nothing).
    team_name: str = ""
    department_name: str = ""

    @property
    def card(self) -> Scorecard:
        return self.series[self.period_code]

    @property
    def is_final(self) -> bool:
        return bool(self.period and self.period.is_closed)

    def evidence(self) -> dict[str, Any]:
        review = None
        if self.review is not None:
            review = {
                "comment": self.review.comment,
                "actions": [
                    {
                        "kpi": a.kpi_code,
                        "comment": a.comment,
                        "action": a.action,
                        "owner": a.owner,
                        "due": a.due,
                        "status": a.status,
                    }
                    for a in self.review.actions
                ],
            }
        return {
            "document": "team_scorecard",
            "team": self.team.slug,
            "team_name": self.team_name,
            "department_name": self.department_name,
            "period": self.period_code,
            "period_closed": self.is_final,
            "snapshot_checksum": self.snapshot_checksum,
            "series": {code: card.to_json() for code, card in self.series.items()},
            "definitions": self.definitions,
            "review": review,
        }


@dataclass(frozen=True)
class ActionRow:
    """A review action as the scorecard prints it (from the database, or frozen at the close)."""

    kpi_code: str
    kpi_name: str
    comment: str
    action: str
    owner: str
    due: dt.date | None
    status: str = ""  # "open" or "overdue" at the close; "" for an open period


@dataclass(frozen=True)
class ReviewRow:
    comment: str
    actions: list[ActionRow]


def _frozen_action(code: str, name: str, frozen: Mapping[str, Any]) -> ActionRow:
    due = parse_date(frozen["due"])
    return ActionRow(code, name, frozen["comment"], frozen["action"], frozen["owner"], due, frozen["status"])


def _reviews(
    code: str, team_ids: list[int], closing: PeriodClosing | None, frozen_names: Mapping[str, str]
) -> dict[int, ReviewRow]:
    """Each team's review: frozen at the close for a closed period, else as it stands. `frozen_names`: the KPI
    names the closed period's snapshots print, so an action's KPI reads as its line does."""
    if closing is not None:
        names = {**dict(Kpi.objects.values_list("code", "name")), **frozen_names}
        return {
            int(team): ReviewRow(
                review["comment"],
                [
                    ActionRow(
                        k, names.get(k, k), a["comment"], a["action"], a["owner"], parse_date(a["due"]), a["status"]
                    )
                    for k, a in sorted(review["actions"].items())
                ],
            )
            for team, review in closing.reviews.items()
            if int(team) in team_ids
        }
    actions = ReviewAction.objects.select_related("kpi", "owner").order_by("kpi__code")
    rows = Review.objects.filter(period__code=code, team__in=team_ids).prefetch_related(
        Prefetch("actions", queryset=actions)
    )
    return {
        r.team_id: ReviewRow(
            r.comment,
            [ActionRow(a.kpi.code, a.kpi.name, a.comment, a.action, a.owner.name, a.due_date) for a in r.actions.all()],
        )
        for r in rows
    }


def gather_team_scorecards(*, period_code: str, team_ids: Collection[int] | None = None) -> list[TeamScorecardData]:
    """Every team's scorecard data for the period and its 12-period trend, in a fixed number of queries."""
    code = parse_period(period_code).code
    codes = series_codes(code, TREND_PERIODS)
    # A closed period's trend comes from its closing, frozen with it (culture.scorecards.closing), and so do the
    # names, the department each team sat in, the KPI definitions and the teams a batch lists (active then).
    period = Period.objects.filter(code=code).first()
    closing = current_closing(code) if period is not None and period.is_closed else None
    has_org, frozen_org = frozen_input(closing, "culture.org")
    teams_qs = Team.objects.select_related("department").order_by("name")
    if team_ids is not None:
        teams_qs = teams_qs.filter(pk__in=list(team_ids))
    elif has_org:
        teams_qs = teams_qs.filter(pk__in=frozen_org["active_teams"])
    else:
        teams_qs = teams_qs.filter(is_active=True)
    teams = list(teams_qs)
    org = load_org()
    ids = [t.pk for t in teams]
    series = closed_series(period_code=code, codes=codes, level=TEAM, ids=ids, org=org, closing=closing)
    kpi_names = {line.kpi_code: line.kpi_name for card in series[code].values() for line in card.lines.values()}
    reviews = _reviews(code, ids, closing, kpi_names if closing is not None else {})
    checksums: dict[int, str] = {}
    if period is not None and period.is_closed:
        checksums = dict(
            ScorecardSnapshot.objects.filter(period=period, level=TEAM, team__in=[t.pk for t in teams]).values_list(
                "team_id", "checksum"
            )
        )
    if has_org:
        definitions = dict(frozen_org["definitions"])
        team_names, department_names = frozen_org["teams"], frozen_org["departments"]
        team_departments = frozen_org["team_department"]
    else:
        definitions = dict(Kpi.objects.values_list("code", "definition"))
        team_names = {str(t.pk): t.name for t in teams}
        department_names = {str(t.department_id): t.department.name for t in teams if t.department_id}
        team_departments = {str(t.pk): t.department_id for t in teams}
    result = []
    for team in teams:
        department = team_departments.get(str(team.pk))
        team_series = {c: series[c][team.pk] for c in codes}
        used = {k: v for k, v in definitions.items() if k in team_series[code].lines}
        result.append(
            TeamScorecardData(
                team=team,
                period_code=code,
                period=period,
                codes=codes,
                series=team_series,
                review=reviews.get(team.pk),
                snapshot_checksum=checksums.get(team.pk, ""),
                definitions=used,
                team_name=team_names.get(str(team.pk), team.name),
                department_name=department_names.get(str(department), "") if department is not None else "",
            )
        )
    return result


def generated_at(period: Period | None) -> dt.datetime | None:
    """The document date comes from the data (when the period closed), never from the clock."""
    return period.closed_at if period is not None and period.is_closed else None


def team_scorecard_context(data: TeamScorecardData, checksum: str) -> dict[str, Any]:
    """Pure formatting of one team's data for the template."""
    card = data.card
    lines, without_data = [], []
    for line in sorted(card.lines.values(), key=lambda x: x.kpi_name):
        points = [(c, data.series[c].actual(line.kpi_code)) for c in data.codes]
        if all(value is None for _c, value in points):
            without_data.append(line.kpi_name)
            continue
        row = line_row(line, data.definitions)
        row["chart"] = kpi_trend_chart(line, points)  # the scorecard page's chart
        row["has_target"] = line.target is not None
        row["spark"] = kpi_sparkline(line, points)
        lines.append(row)
    previous = data.series[data.codes[-2]].composite if len(data.codes) > 1 else None
    change = card.composite - previous if card.composite is not None and previous is not None else None
    composite_chart = trend_chart(
        [(c, data.series[c].composite) for c in data.codes],
        title=f"{data.team_name} composite score, last {len(data.codes)} periods",
        decimals=1,
        width=560,
        height=170,
    )
    counts = {status: card.count(status) for status in ("green", "amber", "red", "neutral", "noise")}
    return {
        "title": f"Team scorecard: {data.team_name}, {data.period_code}",
        "team": data.team,
        "team_name": data.team_name,
        "department_name": data.department_name,
        "period_code": data.period_code,
        "period_closed": data.is_final,
        "definition": card.definition_label,
        "generated_at": generated_at(data.period),
        "composite": number(card.composite, 1),
        "composite_change": signed(change, 1),
        "counts": counts,
        "lines": lines,
        "without_data": without_data,
        "composite_chart": composite_chart,
        "review": data.review,
        "actions": data.review.actions if data.review else [],
        "snapshot_checksum": data.snapshot_checksum,
        "draft": not data.is_final,
        "checksum": checksum,
    }


def render_team_scorecard(data: TeamScorecardData, *, fetcher=None, stamp: Stamp = NO_STAMP) -> tuple[bytes, str]:
    """The PDF bytes and the input checksum of one team's scorecard."""
    checksum = input_checksum(data.evidence())
    context = {**team_scorecard_context(data, checksum), **stamp.context()}
    pdf = render_template_to_pdf(TEMPLATE, context, variant=ACCESSIBLE, fetcher=fetcher)
    return pdf, checksum


def filename(data: TeamScorecardData) -> str:
    return f"scorecard-{data.team.slug}-{data.period_code}.pdf"


def clean_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    """`team` (a slug that exists) and `period` (any period code, normalised)."""
    slug = str(params.get("team", "")).strip()
    if not Team.objects.filter(slug=slug).exists():
        raise ValueError(f"No team {slug!r}.")
    try:
        code = parse_period(str(params.get("period", ""))).code
    except ValueError as error:
        raise ValueError(str(error)) from error
    return {"team": slug, "period": code}


def is_final(params: Mapping[str, Any]) -> bool:
    return Period.objects.filter(code=params["period"], status=Period.Status.CLOSED).exists()


def build(params: Mapping[str, Any], progress: Progress, stamp: Stamp = NO_STAMP) -> BuiltDocument:
    team = Team.objects.get(slug=params["team"])
    (data,) = gather_team_scorecards(period_code=params["period"], team_ids=[team.pk])
    progress(40)
    pdf, checksum = render_team_scorecard(data, stamp=stamp)
    progress(95)
    return BuiltDocument(content=pdf, filename=filename(data), input_checksum=checksum)


KIND = register(
    DocumentKind(
        kind="team_scorecard",
        label=gettext_lazy("Team scorecard"),
        permission="culture.view_scorecard",
        build=build,
        clean_parameters=clean_parameters,
        is_final=is_final,
        frozen_key=closing_key,
        # 2: verification code, draft watermark, trend and review frozen at the close; 3: the team and department
        # names, the KPI definitions and a batch's teams as at the close
        template_version=3,
    )
)
