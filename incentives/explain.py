"""Statement wording: every number of a line in words ("FCR 82.4 -> between target and stretch -> 112 % ...").

A stored explanation is a code and its figures (`component_row`); the words are made at display time by
`render_component`, through gettext, in the reader's language. The same words for the person, their lead
and the CCO: nothing says "you".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import get_language, gettext

from core.formatting import format_money, format_number
from core.numbers import half_up

from .calculations import REASONS, ComponentResult, CurvePoint, StintResult, curve_position, gettext_noop
from .charts import payout_curve_chart

PCT = Decimal("0.01")


QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}

POINTS = {
    "BELOW_THRESHOLD": gettext_noop("below threshold"),
    "THRESHOLD_TO_TARGET": gettext_noop("between threshold and target"),
    "TARGET_TO_STRETCH": gettext_noop("between target and stretch"),
    "AT_STRETCH": gettext_noop("at or beyond stretch"),
    "CAPPED": gettext_noop("capped"),
}
HOLDERS = {
    "team": gettext_noop("the team"),
    "department": gettext_noop("the department"),
    "company": gettext_noop("the company"),
}
PAID = gettext_noop("%(head)s -> %(pct)s %% of target x %(share)s %% weight -> %(amount)s")
# Sentence per code. "paid_per_unit" and "unpaid" with a gate reason are kept for runs explained before the
# cap, gate and direction wording (their stored text renders unchanged).
SENTENCES = {
    "missing": gettext_noop("%(label)s%(where)s: %(reason)s -> %(zero)s"),
    "unpaid": gettext_noop("%(head)s, but %(reason)s -> %(zero)s"),
    "gate_met": gettext_noop("%(head)s -> gate met"),
    "paid": PAID,
    "paid_per_unit": gettext_noop(
        "%(head)s -> %(pct)s %% of target x %(share)s %% weight -> %(amount)s (each 1.0 better adds %(per_unit)s)"
    ),
    "paid_capped": gettext_noop(
        "%(head)s -> %(pct)s %% of target x %(share)s %% weight -> %(amount)s; "
        "at the cap: no further pay for better results"
    ),
    "below": gettext_noop("%(label)s%(where)s %(actual)s is below the %(threshold)s threshold -> %(zero)s"),
    "above": gettext_noop("%(label)s%(where)s %(actual)s is above the %(threshold)s threshold -> %(zero)s"),
    "gate_missed": gettext_noop("the %(label)s gate needs %(threshold)s; %(holder)s had %(actual)s -> %(zero)s"),
    "gate_missed_low": gettext_noop(
        "the %(label)s gate needs %(threshold)s or less; %(holder)s had %(actual)s -> %(zero)s"
    ),
    "gate_blocked": gettext_noop(
        "%(head)s, but the %(gate)s gate needs %(gate_threshold)s; %(holder)s had %(gate_actual)s, "
        "so the plan pays nothing -> %(zero)s"
    ),
    "gate_blocked_low": gettext_noop(
        "%(head)s, but the %(gate)s gate needs %(gate_threshold)s or less; %(holder)s had %(gate_actual)s, "
        "so the plan pays nothing -> %(zero)s"
    ),
}
LITERAL = "text"  # an explanation kept as stored words (a migrated run whose words no code reproduces)
NO_DATA = "no data"  # a missing figure as stored in an explanation; shown through gettext in the reader's language


_STORED_NUMBER = re.compile(r"-?\d+(?:\.(\d+))?")


def _readable(value: Any) -> Any:
    """A stored figure for reading in the active language: the missing-figure marker translated, a stored
    number (`118.50`, dot decimals) with the locale's separators and the same places (sv `118,50`), anything
    else as stored."""
    if value == NO_DATA:
        return gettext("no data")
    if isinstance(value, str) and (match := _STORED_NUMBER.fullmatch(value)):
        return format_number(Decimal(value), len(match.group(1) or ""), get_language())
    return value


def _fmt(value: Decimal | None, places: int = 1) -> str:
    if value is None:
        return NO_DATA
    return f"{half_up(value, places):f}"


def money_text(amount: Decimal, currency: str) -> str:
    """An amount for reading in the active language, e.g. `EUR 56.00`, `67 points`, sv `56,00 €` (display only)."""
    return format_money(amount, currency, get_language())


def _missed(result: ComponentResult) -> bool:
    """A gate whose evidence was good enough and whose unrounded actual is short of its threshold."""
    curve, judged = result.curve, result.judged
    if not result.is_gate or result.reason_code not in ("", "gate_not_met") or curve is None or judged is None:
        return False
    return curve_position(curve, judged)[1] is CurvePoint.BELOW_THRESHOLD


def _shown(result: ComponentResult, decimals: int) -> str:
    """The actual as shown; a gate missed by less than the shown precision shows two more places (74.95)."""
    curve, judged = result.curve, result.judged
    if _missed(result) and curve is not None and judged is not None:
        shown = half_up(judged, decimals)
        hidden = shown <= curve.threshold if curve.lower_is_better else shown >= curve.threshold
        if hidden:
            return _fmt(judged, decimals + 2)
    return _fmt(result.actual, decimals)


def _code(result: ComponentResult, gate: ComponentResult | None) -> str:
    if result.reason_code and result.actual is None:
        return "missing"
    lower = result.curve is not None and result.curve.lower_is_better
    if _missed(result):
        return "gate_missed_low" if lower else "gate_missed"
    if result.reason_code == "gate_not_met" and gate is not None:
        return "gate_blocked_low" if gate.curve is not None and gate.curve.lower_is_better else "gate_blocked"
    if result.reason_code:
        return "unpaid"
    if result.is_gate and result.weight_share == 0:
        return "gate_met"
    if result.curve_point is CurvePoint.BELOW_THRESHOLD and result.curve is not None:
        return "above" if lower else "below"
    if result.curve_point in (CurvePoint.CAPPED, CurvePoint.AT_STRETCH):
        return "paid_capped"
    return "paid_per_unit" if result.amount_per_unit > 0 else "paid"


def _failed_gate(stint: StintResult) -> ComponentResult | None:
    """The first gate missed on its threshold (a gate missed on thin evidence says so in its own row)."""
    for result in stint.components:
        if _missed(result):
            return result
    return None


def component_row(
    result: ComponentResult,
    *,
    currency: str,
    decimals: int = 1,
    scope: str = "",
    level: str = "team",
    gate: ComponentResult | None = None,
    gate_decimals: int = 1,
) -> dict[str, Any]:
    """One component as a code and its figures (strings, so nothing is lost)."""
    figures: dict[str, Any] = {
        "label": result.label,
        "scope": scope,
        "actual": _shown(result, decimals),
        "point": result.curve_point.name if result.curve_point else "",
        "pct": _fmt(result.payout_pct, 2),
        "share": _fmt(result.weight_share * 100, 1),
        "amount": str(half_up(result.amount, 10)),
        "per_unit": str(half_up(result.amount_per_unit, 10)),
        "currency": currency,
        "reason": result.reason_code,
        "reason_figures": dict(result.reason_figures),
        "holder": level,
    }
    if result.curve is not None:
        figures["threshold"] = _fmt(result.curve.threshold, decimals)
    if gate is not None and gate.curve is not None:
        figures.update(
            gate=gate.label,
            gate_threshold=_fmt(gate.curve.threshold, gate_decimals),
            gate_actual=_shown(gate, gate_decimals),
        )
    return {"code": _code(result, gate), "figures": figures}


def render_component(row: Mapping[str, Any]) -> str:
    """A stored explanation in words, in the active language."""
    code, figures = row.get("code"), row.get("figures") or {}
    if code is None:  # explained before codes: the stored words
        return str(row.get("text", ""))
    if code == LITERAL:
        return str(figures.get("text", ""))
    currency = figures["currency"]
    values = {key: _readable(value) for key, value in figures.items()}
    values["where"] = f" ({figures['scope']})" if figures.get("scope") else ""
    values["zero"] = money_text(Decimal(0), currency)
    values["amount"] = money_text(Decimal(figures["amount"]), currency)
    values["per_unit"] = money_text(Decimal(figures["per_unit"]), currency)
    values["holder"] = gettext(HOLDERS.get(figures.get("holder", ""), HOLDERS["team"]))
    reason = figures.get("reason")
    reason_figures = {key: _readable(value) for key, value in (figures.get("reason_figures") or {}).items()}
    values["reason"] = gettext(REASONS[reason]) % reason_figures if reason else ""
    point = figures.get("point")
    values["point"] = gettext(POINTS[point]) if point else gettext("no curve point")
    values["head"] = gettext("%(label)s%(where)s %(actual)s -> %(point)s") % values
    return gettext(SENTENCES[code]) % values


def curve_figures(result: ComponentResult, decimals: int) -> dict[str, Any] | None:
    """The curve a component was paid on, for the statement's table and chart."""
    curve = result.curve
    if curve is None:
        return None
    return {
        "threshold": _fmt(curve.threshold, decimals),
        "target": _fmt(curve.target, decimals),
        "stretch": _fmt(curve.stretch, decimals),
        "threshold_payout_pct": str(curve.threshold_payout_pct),
        "stretch_payout_pct": str(curve.stretch_payout_pct),
        "cap_pct": str(curve.cap_pct),
        "lower_is_better": curve.lower_is_better,
        "decimals": decimals,
    }


def stint_components_json(stint: StintResult, components: Iterable[Any], currency: str) -> list[dict[str, Any]]:
    """The stored explanation of one stint's components (strings for Decimals, so nothing is lost)."""
    meta = {str(c.pk): c for c in components}

    def places(key: str) -> int:
        component = meta.get(key)
        return component.kpi.decimals if component is not None and component.kpi_id else 1

    gate = _failed_gate(stint)
    rows = []
    for result in stint.components:
        component = meta.get(result.key)
        decimals = places(result.key)
        level = component.level if component is not None else "team"
        scope = {"team": stint.team_label, "department": "department", "company": "company"}.get(level, level)
        gate_level = meta[gate.key].level if gate is not None and gate.key in meta else level
        blocked = result.reason_code == "gate_not_met" and not _missed(result)
        explained = component_row(
            result,
            currency=currency,
            decimals=decimals,
            scope=scope,
            level=gate_level if blocked else level,
            gate=gate if blocked else None,
            gate_decimals=places(gate.key) if gate is not None else 1,
        )
        rows.append(
            {
                "key": result.key,
                "label": result.label,
                "level": level,
                "actual": None if result.actual is None else str(result.actual),
                "curve_point": str(result.curve_point) if result.curve_point else None,
                "payout_pct": str(result.payout_pct.quantize(PCT, rounding=ROUND_HALF_UP)),
                "weight_share": str(half_up(result.weight_share, 4)),
                "amount": str(half_up(result.amount, 10)),
                "amount_per_unit": str(half_up(result.amount_per_unit, 10)),
                "is_gate": result.is_gate,
                "reason": result.reason,
                "curve": curve_figures(result, decimals),
                **explained,
            }
        )
    return rows


def landed_text(row: Mapping[str, Any]) -> str:
    """Where an actual landed on the curve, with the payout % as in the sentence (two places)."""
    figures = row.get("figures") or {}
    point = figures.get("point") or next((k for k, v in POINTS.items() if v == row.get("curve_point")), "")
    where = gettext(POINTS[point]) if point else gettext("no curve point")
    pct = _readable(_fmt(Decimal(row.get("payout_pct") or 0), 2))
    return gettext("%(point)s, %(pct)s %%") % {"point": where, "pct": pct}


def component_table(rows: Iterable[Mapping[str, Any]], *, hidden: bool = False) -> list[dict[str, Any]]:
    """A statement's row per component: actual, threshold, target, stretch, cap, where it landed, the words
    and the curve chart; a team the reader may not see keeps its component names only."""
    table = []
    for row in rows:
        if hidden:
            table.append({"label": row.get("label", ""), "hidden": True})
            continue
        curve = row.get("curve") or {}
        figures = row.get("figures") or {}
        actual = figures.get("actual") or (_fmt(Decimal(row["actual"]), 1) if row.get("actual") else _fmt(None))
        table.append(
            {
                "label": row.get("label", ""),
                "hidden": False,
                "is_gate": row.get("is_gate", False),
                "actual": _readable(actual),
                "threshold": _readable(curve.get("threshold", "")),
                "target": _readable(curve.get("target", "")),
                "stretch": _readable(curve.get("stretch", "")),
                "cap": f"{_readable(str(curve['cap_pct']))} %" if curve else "",
                "landed": landed_text(row),
                "text": render_component(row),
                "chart": payout_curve_chart(row),
            }
        )
    return table


def _reason_code(text: str) -> tuple[str, dict[str, str]] | None:
    """The REASONS code and figures whose English text is `text` (None if none matches)."""
    for code, template in REASONS.items():
        pattern = re.escape(template).replace("%%", "%")
        pattern = re.sub(r"%\\\(([a-z_]+)\\\)s", r"(?P<\1>.+?)", pattern)
        found = re.fullmatch(pattern, text)
        if found:
            return code, found.groupdict()
    return None


def legacy_row_to_code(
    row: Mapping[str, Any], *, scope: str, currency: str, places: Iterable[int] = (1, 0, 2, 3, 4)
) -> dict[str, Any]:
    """A row explained before codes ({..., "text": words}) as code and figures whose English rendering is
    exactly its stored words; a row no code reproduces keeps its words (code `text`). Run inside English."""
    text = str(row.get("text", ""))
    kept = {key: value for key, value in row.items() if key != "text"}
    reason = _reason_code(row["reason"]) if row.get("reason") else ("", {})
    if reason is not None:
        if row.get("reason") and row.get("actual") is None:
            code = "missing"
        elif row.get("reason"):
            code = "unpaid"
        elif row.get("is_gate") and Decimal(row["weight_share"]) == 0:
            code = "gate_met"
        else:
            code = "paid_per_unit" if Decimal(row["amount_per_unit"]) > 0 else "paid"
        point = next((name for name, words in POINTS.items() if words == row.get("curve_point")), "")
        for decimals in places:
            actual = None if row.get("actual") is None else Decimal(row["actual"])
            figures = {
                "label": row["label"],
                "scope": scope,
                "actual": _fmt(actual, decimals),
                "point": point,
                "pct": _fmt(Decimal(row["payout_pct"]), 2),
                "share": _fmt(Decimal(row["weight_share"]) * 100, 1),
                "amount": row["amount"],
                "per_unit": row["amount_per_unit"],
                "currency": currency,
                "reason": reason[0],
                "reason_figures": reason[1],
                "holder": row.get("level", "team"),
            }
            candidate = {**kept, "code": code, "figures": figures}
            if render_component(candidate) == text:
                return candidate
    return {**kept, "code": LITERAL, "figures": {"text": text}}
