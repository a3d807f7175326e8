"""Readable board report sections, pure: the written summary, off-track KPIs by team (capped, the rest in an
appendix), league tables per level and one source line per section."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from core.numbers import fixed
from culture.scorecards import KpiLine, Scorecard

from .board_data import BoardData
from .common import line_row, number, signed

RED_CAP = 15  # off-track KPIs shown in the body; the rest are listed in the appendix
OFF_TRACK = "red"


def gap(line: KpiLine) -> Decimal:
    """How far an off-track KPI sits from its target, as a share of the target (the raw distance when the
    target is 0), so that KPIs in different units can be ranked together."""
    actual, target = line.judged_actual, line.target
    if actual is None or target is None:
        return Decimal(0)
    distance = abs(actual - target)
    return distance / abs(target) if target else distance


def priority(line: KpiLine) -> Decimal:
    """Gap x weight: the off-track KPIs that matter most to the composite come first."""
    return gap(line) * line.weight


def judged_teams(data: BoardData) -> dict[int, Scorecard]:
    """The team cards the off-track list reads: a part year's over its months with targets (a year in progress
    has no targets of its own, so its own cards judge nothing), any other period's own."""
    index = data.year_index
    if index is not None and index.partial and index.teams is not None:
        return {team: card for team, card in index.teams.items() if team in data.teams}
    return data.teams


def off_track(data: BoardData) -> list[tuple[int, KpiLine]]:
    """Every off-track team KPI, highest priority first (then team name and KPI code, for a stable order)."""
    found = [
        (team, line)
        for team, card in judged_teams(data).items()
        for line in card.lines.values()
        if line.status == OFF_TRACK
    ]
    found.sort(key=lambda pair: (-priority(pair[1]), data.team_names.get(pair[0], ""), pair[1].kpi_code))
    return found


def _grouped(data: BoardData, pairs: Iterable[tuple[int, KpiLine]]) -> list[dict[str, Any]]:
    """Rows grouped by team, teams in the order of their first (highest-priority) row."""
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for team_id, line in pairs:
        row = line_row(line, data.definitions)
        row["action"] = data.actions.get((team_id, line.kpi_code))
        row["priority"] = number(priority(line) * 100, 1)
        groups[team_id].append(row)
    return [
        {
            "team": data.team_names.get(team_id, "?"),
            "department": data.department_names.get(data.team_departments.get(team_id, 0), ""),
            "rows": rows,
            "with_action": sum(1 for row in rows if row["action"] is not None),
        }
        for team_id, rows in groups.items()
    ]


def off_track_sections(data: BoardData, cap: int = RED_CAP) -> dict[str, Any]:
    """The top `cap` off-track KPIs by gap x weight grouped by team, and the rest (grouped too) for the appendix."""
    found = off_track(data)
    return {
        "top": _grouped(data, found[:cap]),
        "appendix": _grouped(data, found[cap:]),
        "count": len(found),
        "shown": min(cap, len(found)),
        "teams": len({team for team, _line in found}),
        "without_action": sum(1 for team, line in found if (team, line.kpi_code) not in data.actions),
    }


def league_levels(rows_of, data: BoardData) -> list[dict[str, Any]]:
    """League tables per level: divisions (top-level departments) and departments (the ones under them) apart."""
    parents = data.department_parents
    top = {i: card for i, card in data.departments.items() if parents.get(i) is None}
    below = {i: card for i, card in data.departments.items() if parents.get(i) is not None}
    if not parents or not below or not top:
        return [{"title": _("Department league table"), "rows": rows_of(data.departments)}]
    return [
        {"title": _("Division league table"), "rows": rows_of(top)},
        {"title": _("Department league table"), "rows": rows_of(below)},
    ]


def section_source(data: BoardData, period_code: str, scopes: Iterable[str]) -> str:
    """Where a whole section's figures came from, said once: the closed period's snapshots, or live data."""
    wanted = list(scopes)
    frozen = data.snapshots.get(period_code, {})
    if wanted and all(scope in frozen for scope in wanted):
        if len(wanted) == 1:
            return _("Source: snapshot %(period)s · %(checksum)s.") % {
                "period": period_code,
                "checksum": frozen[wanted[0]][:8],
            }
        return _("Source: %(count)s frozen scorecards of %(period)s (checksums in the evidence).") % {
            "count": len(wanted),
            "period": period_code,
        }
    if data.closing_checksum and period_code != data.period_code:
        return _("Source: frozen at the close of %(period)s · %(checksum)s.") % {
            "period": data.period_code,
            "checksum": data.closing_checksum[:8],
        }
    return _("Source: live data %(period)s (the period is open; figures may change).") % {"period": period_code}


def _movement(name: str, now: Decimal, before: Decimal, decimals: int, unit: str, better: str) -> str:
    change = now - before
    shown = "percent" if unit == "percent" else ""
    # The figures carry their unit in the document's language (30.0 %, sv 30,0 %); the msgids keep a
    # `%(unit)s` slot from before, left empty.
    figures = {"kpi": name, "now": number(now, decimals, unit=shown), "unit": ""}
    if fixed(change, decimals) == fixed(0, decimals):
        return _("%(kpi)s held at %(now)s%(unit)s") % figures
    improved = (change > 0) == (better == "higher")
    text = _("%(kpi)s rose from %(before)s%(unit)s to %(now)s%(unit)s") if change > 0 else None
    text = text or _("%(kpi)s fell from %(before)s%(unit)s to %(now)s%(unit)s")
    sentence = text % {**figures, "before": number(before, decimals, unit=shown)}
    return sentence + (f" ({_('better')})" if improved else f" ({_('worse')})")


def summary(
    data: BoardData,
    value: dict[str, Any] | None,
    red: dict[str, Any],
    headline_codes: Iterable[str],
    cx_index: tuple[Decimal | None, str, bool] | None = None,
) -> list[str]:
    """Page 1 in plain sentences: headline movements, value, top risks, what changed since the last report.
    `cx_index`: (index, the words beside it, whether it compares with the previous period); the company
    composite by default (a year without one shows the index over its months with targets)."""
    now, before = data.company[data.period_code], data.company.get(data.previous_code)
    composite, note, compared = cx_index if cx_index is not None else (now.composite, "", True)
    sentences: list[str] = []
    if composite is not None:
        cx = _("The CX index is %(now)s of 100") % {"now": number(composite, 1)}
        if compared and before is not None and before.composite is not None:
            cx += _(", %(change)s against %(previous)s") % {
                "change": signed(composite - before.composite, 1),
                "previous": data.previous_code,
            }
        sentences.append(cx + "." + (f" {note}" if note else ""))
    elif note:
        sentences.append(note)
    moves, better, worse = [], 0, 0
    for code in headline_codes:
        line = now.lines.get(code)
        was = before.lines.get(code) if before is not None else None
        if line is None or was is None or line.actual is None or was.actual is None:
            continue
        text = _movement(line.kpi_name, line.actual, was.actual, line.decimals, line.unit, line.direction)
        moves.append(text)
        change = line.actual - was.actual
        if fixed(change, line.decimals) != fixed(0, line.decimals):
            if (change > 0) == (line.direction == "higher"):
                better += 1
            else:
                worse += 1
    if moves:
        sentences.append(
            _("Since the last board report (%(previous)s): %(moves)s.")
            % {"previous": data.previous_code, "moves": "; ".join(moves)}
        )
        sentences.append(
            _("%(better)s headline KPIs improved and %(worse)s worsened.") % {"better": better, "worse": worse}
        )
    if value:
        for comparison in value["comparisons"]:
            lines = {row["key"]: row for row in comparison["lines"]}
            sentences.append(
                _(
                    "Value, %(title)s: %(total)s (%(range)s), of which revenue retained %(revenue)s and cost "
                    "saved %(saved)s; incentive spend %(spend)s, return %(ratio)s: an association, not a cause."
                )
                % {
                    "title": comparison["title"],
                    "total": lines["total"]["amount"],
                    "range": lines["total"]["range"],
                    "revenue": lines["revenue_retained"]["amount"],
                    "saved": lines["cost_saved"]["amount"],
                    "spend": lines["incentive_spend"]["amount"],
                    "ratio": lines["incentive_return"]["amount"],
                }
            )
    else:
        sentences.append(
            _("No value model applies to %(period)s, so no value is stated.") % {"period": data.period_code}
        )
    if red["count"]:
        risks = [
            _("%(team)s: %(kpi)s %(actual)s against %(target)s")
            % {"team": group["team"], "kpi": row["name"], "actual": row["actual"], "target": row["target"]}
            for group in red["top"][:3]
            for row in group["rows"][:1]
        ]
        sentences.append(
            _(
                "Off-track team KPIs: %(count)s, in %(teams)s teams (%(without)s without an action); the largest "
                "gaps by weight: %(risks)s."
            )
            % {
                "count": red["count"],
                "teams": red["teams"],
                "without": red["without_action"],
                "risks": "; ".join(risks),
            }
        )
    else:
        sentences.append(_("No team KPI is off track."))
    return sentences
