"""Pure formatting of a board report: BoardData -> rows and sentences for `templates/pdf/board_report.html`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from core.charts import scatter_chart, trend_chart
from culture.scorecards import KpiLine, Scorecard, describe_year_index
from culture.scorecards.status import STATUS_LABELS, composite_status

from .board_data import BoardData
from .board_sections import league_levels, off_track_sections, section_source, summary
from .board_value import value_section
from .common import DASH, line_row, number, signed

HEADLINE_KPIS = ("nps", "csat", "retention_rate", "churn_rate", "fcr", "self_service_rate")
TREND_KPIS = ("nps", "csat", "retention_rate")
HIGHER = "higher is better"
CX_INDEX_DEFINITION = (
    "weighted mean of the KPI scores (0-100) of every KPI with a target and enough sample, weighted by the "
    "target weights; rolled up from the teams' raw sums, not averaged"
)


OPEN_ITEM_LABELS = {
    "culture.no_review": "teams without a review",
    "culture.red_without_action": "off-track KPIs without an action",
    "culture.data_gap": "data gaps",
    "reports.no_value_model": "no value model",
    "incentives.draft_runs": "draft payout runs",
}


def _line(card: Scorecard | None, code: str) -> KpiLine | None:
    return card.lines.get(code) if card is not None else None


def _change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    return now - before if now is not None and before is not None else None


def cx_index(data: BoardData) -> tuple[Decimal | None, str, bool]:
    """(the CX index the report shows, the words beside it, whether it compares with earlier periods).

    A year without a composite of its own shows the index over its months with targets, which is not
    compared with other years (they cover other months); every other period its company composite."""
    now = data.company[data.period_code]
    index = data.year_index
    if index is None or index.whole_year:
        return now.composite, "", True
    return index.composite, describe_year_index(index), False


def headline_rows(data: BoardData) -> list[dict[str, Any]]:
    """CX index and the headline KPIs: this period, last period, same period last year, with changes."""
    now, before = data.company[data.period_code], data.company.get(data.previous_code)
    last_year = data.company.get(data.last_year_code)
    composite, note, compared = cx_index(data)
    if not compared:
        before_cx = year_cx = None
    else:
        before_cx = before.composite if before else None
        year_cx = last_year.composite if last_year else None
    rows = [
        {
            "name": f"CX index (composite 0{DASH}100)",
            "note": note,
            "code": "cx_index",
            "now": number(composite),
            "previous": number(before_cx),
            "change": signed(_change(composite, before_cx)),
            "last_year": number(year_cx),
            "change_year": signed(_change(composite, year_cx)),
            "status": composite_status(composite),
            "status_label": STATUS_LABELS[composite_status(composite)],
        }
    ]
    for code in HEADLINE_KPIS:
        line = _line(now, code)
        if line is None:
            continue
        was, year = _line(before, code), _line(last_year, code)
        unit = line.unit
        rows.append(
            {
                "name": line.kpi_name,
                "code": code,
                "now": number(line.actual, line.decimals, unit=unit),
                "previous": number(was.actual if was else None, line.decimals, unit=unit),
                "change": signed(_change(line.actual, was.actual if was else None), line.decimals),
                "last_year": number(year.actual if year else None, line.decimals, unit=unit),
                "change_year": signed(_change(line.actual, year.actual if year else None), line.decimals),
                "status": line.status,
                "status_label": STATUS_LABELS.get(line.status, line.status),
            }
        )
    return rows


def trend_charts(data: BoardData) -> dict[str, Any]:
    """The CX index over 12 periods, and (name, chart, caption note) of each headline trend KPI."""
    cx = trend_chart(
        [(c, data.company[c].composite) for c in data.codes],
        title=f"CX index, {data.codes[0]} to {data.codes[-1]}",
        decimals=1,
        width=560,
        height=150,
        limits=(0, 100),
    )
    kpis = []
    now = data.company[data.period_code]
    for code in TREND_KPIS:
        line = now.lines.get(code)
        if line is None:
            continue
        points = [(c, data.company[c].actual(code)) for c in data.codes]
        chart = trend_chart(
            points,
            title=line.kpi_name,
            target=line.target,
            decimals=line.decimals,
            width=420,
            height=150,
            limits=(0, 100) if line.unit == "percent" else None,
        )
        kpis.append((line.kpi_name, chart, "company; target line in green" if line.target is not None else "company"))
    return {"cx": cx, "kpis": kpis, "first": data.codes[0], "last": data.codes[-1]}


def league_rows(data: BoardData, cards: dict[int, Scorecard] | None = None) -> list[dict[str, Any]]:
    """Departments by CX index, best first; departments without a score last, by name."""
    ordered = sorted(
        (data.departments if cards is None else cards).items(),
        key=lambda item: (item[1].composite is None, -(item[1].composite or 0), data.department_names.get(item[0], "")),
    )
    rows = []
    for rank, (department_id, card) in enumerate(ordered, start=1):
        status = composite_status(card.composite)
        rows.append(
            {
                "rank": rank,
                "name": data.department_names.get(department_id, "?"),
                "composite": number(card.composite),
                "value": card.composite,
                "status": status,
                "status_label": STATUS_LABELS[status],
                "green": card.count("green"),
                "amber": card.count("amber"),
                "red": card.count("red"),
                "noise": card.count("noise"),
            }
        )
    return rows


def hiring_section(data: BoardData) -> dict[str, Any]:
    hiring = data.hiring
    mean_score, meets_bar, mean_rating = hiring.mean_score, hiring.meets_bar_percent, hiring.mean_rating_90_day
    return {
        "hires": hiring.n,
        "mean_score": number(mean_score) if mean_score is not None else DASH,
        "scored": len(hiring.scores),
        "meets_bar": number(meets_bar, 0, unit="percent") if meets_bar is not None else DASH,
        "judged": len(hiring.judged),
        "mean_rating": number(mean_rating, 2) if mean_rating is not None else DASH,
        "rated": len(hiring.ratings_90_day),
    }


def customer_rows(data: BoardData) -> list[dict[str, Any]]:
    """Customers gained and lost per team, where the team reports them."""
    rows = []
    for team_id, card in sorted(data.teams.items(), key=lambda item: data.team_names.get(item[0], "")):
        gained, lost = _line(card, "customers_gained"), _line(card, "customers_lost")
        g = gained.actual if gained else None
        lost_value = lost.actual if lost else None
        if g is None and lost_value is None:
            continue
        rows.append(
            {
                "team": data.team_names.get(team_id, "?"),
                "gained": number(g, 0),
                "lost": number(lost_value, 0),
                "net": signed(_change(g or Decimal(0), lost_value or Decimal(0)), 0),
            }
        )
    return rows


def pairs(rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Rows two by two, so a long team list prints in two columns."""
    half = (len(rows) + 1) // 2
    left, right = rows[:half], rows[half:]
    return [(row, right[i] if i < len(right) else None) for i, row in enumerate(left)]


def customer_totals(data: BoardData) -> dict[str, str] | None:
    card = data.company[data.period_code]
    gained, lost = _line(card, "customers_gained"), _line(card, "customers_lost")
    g, lost_value = (gained.actual if gained else None), (lost.actual if lost else None)
    if g is None and lost_value is None:
        return None
    return {
        "gained": number(g, 0),
        "lost": number(lost_value, 0),
        "net": signed(_change(g or Decimal(0), lost_value or Decimal(0)), 0),
    }


def chain_section(data: BoardData) -> dict[str, Any] | None:
    """The service-profit chain page, only when the request asked for it: the figures or the refusal."""
    chain = data.chain
    if chain is None:
        return None
    section: dict[str, Any] = {
        "pulse": chain.pulse.title,
        "engagement_period": chain.engagement_period,
        "kpi": chain.kpi.name,
        "kpi_period": chain.kpi_period,
        "refusal": chain.refusal,
        "chart": None,
    }
    if chain.correlation is not None:
        c = chain.correlation
        r, low, high = (number(Decimal(str(v)), 2) for v in (c.r, c.low, c.high))
        section |= {"n": c.n, "r": r, "low": low, "high": high}
        # the dashboard's own messages, so the chart reads in the report's language as the dashboard's does
        title = gettext("%(measure)s of %(pulse)s against %(kpi)s in %(period)s, one dot per team") % {
            "measure": "eNPS",
            "pulse": chain.pulse.title,
            "kpi": chain.kpi.name,
            "period": chain.kpi_period,
        }
        description = gettext("%(n)s teams; Pearson's r %(r)s, 95 %% interval %(low)s to %(high)s.") % {
            "n": c.n,
            "r": r,
            "low": low,
            "high": high,
        }
        section["chart"] = scatter_chart(
            [(p.engagement, p.kpi) for p in chain.points],
            title=title,
            description=description,
            x_label="eNPS",
            y_label=chain.kpi.name,
        )
    return section


def board_context(data: BoardData, checksum: str) -> dict[str, Any]:
    """Everything the board report template prints."""
    league = league_rows(data)
    levels = league_levels(lambda cards: league_rows(data, cards), data)
    _composite, index_note, compared = cx_index(data)
    if not compared:  # a part year: the departments are ranked over the same months as the CX index
        levels = [{**level, "note": index_note} for level in levels]
    lines = data.company[data.period_code].lines
    value = value_section(data)
    red = off_track_sections(data)
    period = data.period_code
    closed = data.period is not None and data.period.is_closed
    return {
        "title": f"Board report {data.period_code}",
        "period_code": data.period_code,
        "previous_code": data.previous_code,
        "last_year_code": data.last_year_code,
        "period_closed": closed,
        "definition": data.company[data.period_code].definition_label,
        "generated_at": data.period.closed_at if closed and data.period else None,
        "headline": headline_rows(data),
        "charts": trend_charts(data),
        "league": league,
        "summary": summary(data, value, red, HEADLINE_KPIS, cx_index(data)),
        "league_levels": levels,
        "red": red,
        "value": value,
        "sources": {
            "company": section_source(data, period, ["company"]),
            "departments": section_source(data, period, [f"department:{i}" for i in data.departments]),
            "teams": section_source(data, period, [f"team:{i}" for i in data.teams]),
        },
        "hiring": hiring_section(data),
        "customers": pairs(customer_rows(data)),
        "customer_totals": customer_totals(data),
        "chain": chain_section(data),
        "team_count": len(data.teams),
        "definitions": [
            {
                "code": "cx_index",
                "name": "CX index",
                "definition": CX_INDEX_DEFINITION,
                "direction": "higher is better",
            },
            *(line_row(line, data.definitions) for line in sorted(lines.values(), key=lambda x: x.kpi_name)),
        ],
        "snapshots": [
            {"period": code, "scope": scope, "checksum": value}
            for code, scopes in data.snapshots.items()
            for scope, value in scopes.items()
            if scope == "company"
        ],
        "snapshot_count": sum(len(scopes) for scopes in data.snapshots.values()),
        "closing_checksum": data.closing_checksum,
        "closing_version": data.closing_version,
        "close_reason": data.close_reason,
        "close_open_items": sorted(
            (OPEN_ITEM_LABELS.get(kind, kind), count) for kind, count in (data.close_open_items or {}).items()
        ),
        "draft": not closed,
        "checksum": checksum,
    }
