"""The statement wording as runs stored it before codes (incentives/explain.py up to issue 14), kept verbatim so
tests can make the stored rows that migration 0004 converts."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.numbers import half_up
from incentives.calculations import ComponentResult, StintResult
from incentives.explain import money_text

PCT = Decimal("0.01")


def _fmt(value: Decimal | None, places: int = 1) -> str:
    if value is None:
        return "no data"
    return f"{half_up(value, places):f}"


def component_sentence(result: ComponentResult, *, currency: str, decimals: int = 1, scope: str = "") -> str:
    where = f" ({scope})" if scope else ""
    actual = _fmt(result.actual, decimals)
    if result.reason and result.actual is None:
        return f"{result.label}{where}: {result.reason} -> {money_text(Decimal(0), currency)}"
    head = f"{result.label}{where} {actual} -> {result.curve_point or 'no curve point'}"
    if result.reason:
        return f"{head}, but {result.reason} -> {money_text(Decimal(0), currency)}"
    if result.is_gate and result.weight_share == 0:
        return f"{head} -> gate met"
    share = _fmt(result.weight_share * 100, 1)
    text = (
        f"{head} -> {_fmt(result.payout_pct, 2)} % of target x {share} % weight -> "
        f"{money_text(result.amount, currency)}"
    )
    if result.amount_per_unit > 0:
        text += f" (each 1.0 better adds {money_text(result.amount_per_unit, currency)})"
    return text


def stint_components_json(stint: StintResult, components: Iterable[Any], currency: str) -> list[dict[str, Any]]:
    meta = {str(c.pk): c for c in components}
    rows = []
    for result in stint.components:
        component = meta.get(result.key)
        decimals = component.kpi.decimals if component is not None and component.kpi_id else 1
        level = component.level if component is not None else "team"
        scope = {"team": stint.team_label, "department": "department", "company": "company"}.get(level, level)
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
                "text": component_sentence(result, currency=currency, decimals=decimals, scope=scope),
            }
        )
    return rows
