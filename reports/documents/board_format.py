"""Pure formatting of a board report: BoardData -> rows and sentences for `templates/pdf/board_report.html`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from core.charts import bar_chart, trend_chart
from core.money import round_money
from core.numbers import fixed
from core.palette import STATUS_COLOURS
from culture.scorecards import KpiLine, Scorecard
from culture.scorecards.status import STATUS_LABELS, composite_status

from ..calculations import ValueInputs, value_proven
from .board_data import BoardData
from .common import DASH, line_row, money, number, signed

HEADLINE_KPIS = ("nps", "csat", "retention_rate", "churn_rate", "fcr", "self_service_rate")
TREND_KPIS = ("nps", "csat", "retention_rate")
HIGHER = "higher is better"
CX_INDEX_DEFINITION = (
    "weighted mean of the KPI scores (0-100) of every KPI with a target and enough sample, weighted by the "
    "target weights; rolled up from the teams' raw sums, not averaged"
)


OPEN_ITEM_LABELS = {
    "culture.no_review": "teams without a review",
    "culture.red_without_action": "red KPIs without an action",
    "culture.data_gap": "data gaps",
    "reports.no_value_model": "no value model",
    "incentives.draft_runs": "draft payout runs",
}


def source(data: BoardData, period_code: str, scope: str = "company") -> str:
    """Where a figure came from: a closed period's snapshot (with its checksum) or the live data of an open one."""
    checksum = data.snapshots.get(period_code, {}).get(scope)
    if checksum:
        return f"snapshot {period_code} · {checksum[:8]}"
    if data.closing_checksum and period_code != data.period_code:
        return f"frozen at the close of {data.period_code} · {data.closing_checksum[:8]}"
    return f"live data {period_code}"


def _line(card: Scorecard | None, code: str) -> KpiLine | None:
    return card.lines.get(code) if card is not None else None


def _change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    return now - before if now is not None and before is not None else None


def headline_rows(data: BoardData) -> list[dict[str, Any]]:
    """CX index and the headline KPIs: this period, last period, same period last year, with changes."""
    now, before = data.company[data.period_code], data.company.get(data.previous_code)
    last_year = data.company.get(data.last_year_code)
    rows = [
        {
            "name": f"CX index (composite 0{DASH}100)",
            "code": "cx_index",
            "now": number(now.composite),
            "previous": number(before.composite if before else None),
            "change": signed(_change(now.composite, before.composite if before else None)),
            "last_year": number(last_year.composite if last_year else None),
            "change_year": signed(_change(now.composite, last_year.composite if last_year else None)),
            "status": composite_status(now.composite),
            "status_label": STATUS_LABELS[composite_status(now.composite)],
            "source": source(data, data.period_code),
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
                "source": source(data, data.period_code),
            }
        )
    return rows


def trend_charts(data: BoardData) -> dict[str, Any]:
    """The CX index over 12 periods, and (name, chart, caption note) of each headline trend KPI."""
    cx = trend_chart(
        [(c, data.company[c].composite) for c in data.codes],
        title=f"CX index, last {len(data.codes)} periods",
        decimals=1,
        width=560,
        height=150,
    )
    kpis = []
    now = data.company[data.period_code]
    for code in TREND_KPIS:
        line = now.lines.get(code)
        if line is None:
            continue
        points = [(c, data.company[c].actual(code)) for c in data.codes]
        chart = trend_chart(
            points, title=line.kpi_name, target=line.target, decimals=line.decimals, width=420, height=150
        )
        kpis.append((line.kpi_name, chart, "company; target line in green" if line.target is not None else "company"))
    return {"cx": cx, "kpis": kpis}


def league_rows(data: BoardData) -> list[dict[str, Any]]:
    """Departments by CX index, best first; departments without a score last, by name."""
    ordered = sorted(
        data.departments.items(),
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
                "source": source(data, data.period_code, f"department:{department_id}"),
            }
        )
    return rows


def red_rows(data: BoardData) -> list[dict[str, Any]]:
    """Every red team KPI with the lead's action, worst score first."""
    found = [
        (team_id, line) for team_id, card in data.teams.items() for line in card.lines.values() if line.status == "red"
    ]
    found.sort(key=lambda pair: (pair[1].score or 0, data.team_names.get(pair[0], ""), pair[1].kpi_code))
    rows = []
    for team_id, line in found:
        action = data.actions.get((team_id, line.kpi_code))
        row = line_row(line, data.definitions)
        row.update(
            {
                "team": data.team_names.get(team_id, "?"),
                "department": data.department_names.get(data.team_departments.get(team_id, 0), ""),
                "action": action,
                "source": source(data, data.period_code, f"team:{team_id}"),
            }
        )
        rows.append(row)
    return rows


def value_section(data: BoardData) -> dict[str, Any] | None:
    """Value proven in money, rounded once, with the sentences that explain each figure."""
    vm = data.value_model
    if vm is None:
        return None
    card = data.company[data.period_code]
    retention, self_service = card.lines.get("retention_rate"), card.lines.get("self_service_rate")
    contacts = self_service.sums.denominator if self_service is not None and self_service.sums.denominator else None
    result = value_proven(
        ValueInputs(
            customers=vm.customers,
            revenue_per_customer=vm.revenue_per_customer,
            cost_per_assisted_contact=vm.cost_per_assisted_contact,
            cost_per_self_service_contact=vm.cost_per_self_service_contact,
            retention_rate=retention.actual if retention else None,
            previous_retention_rate=retention.previous if retention else None,
            self_service_rate=self_service.actual if self_service else None,
            previous_self_service_rate=self_service.previous if self_service else None,
            contacts=contacts,
            incentive_spend=data.incentive_spend,
            currency=vm.currency,
        )
    )
    currency = vm.currency

    def cash(amount: Decimal | None) -> str:
        return money(round_money(amount, currency) if amount is not None else None, currency)

    return {
        "currency": currency,
        "rows": [
            ("Revenue retained by the retention change", cash(result.revenue_retained), "retention_rate"),
            ("Cost saved by the self-service shift", cash(result.cost_saved), "self_service_rate"),
            ("Value proven (total)", cash(result.total_value), ""),
            ("Incentive spend (approved and paid runs)", cash(result.incentive_spend), ""),
            (
                "Return on incentives",
                f"{fixed(result.return_on_incentives, 2)} : 1" if result.return_on_incentives is not None else DASH,
                "",
            ),
        ],
        "explanations": result.explanations,
        "other_spend": [
            f"{fixed(amount, 0, grouping=True)} {cur}" for cur, amount in data.other_currency_spend.items()
        ],
        "model": [
            ("Customers", f"{vm.customers:,}"),
            ("Revenue per customer", money(vm.revenue_per_customer, currency)),
            ("Cost per assisted contact", money(vm.cost_per_assisted_contact, currency)),
            ("Cost per self-service contact", money(vm.cost_per_self_service_contact, currency)),
            ("Contacts in the period", number(contacts, 0) if contacts is not None else DASH),
        ],
    }


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


def board_context(data: BoardData, checksum: str) -> dict[str, Any]:
    """Everything the board report template prints."""
    league = league_rows(data)
    lines = data.company[data.period_code].lines
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
        "league_chart": bar_chart(
            [(row["name"], row["value"], STATUS_COLOURS[row["status"]]) for row in league],
            title=gettext("Department CX index"),
            width=520,
        ),
        "red": red_rows(data),
        "value": value_section(data),
        "hiring": hiring_section(data),
        "customers": pairs(customer_rows(data)),
        "customer_totals": customer_totals(data),
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
