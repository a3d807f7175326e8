"""Statement wording: every number of a line in words ("FCR 82.4 -> between target and stretch -> 112 % ...")."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import get_language

from core.formatting import format_money
from core.numbers import half_up

from .calculations import ComponentResult, StintResult

PCT = Decimal("0.01")


QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}


def _fmt(value: Decimal | None, places: int = 1) -> str:
    if value is None:
        return "no data"
    return f"{half_up(value, places):f}"


def money_text(amount: Decimal, currency: str) -> str:
    """An amount for reading in the active language, e.g. `EUR 56.00`, `67 points`, sv `56,00 €` (display only)."""
    return format_money(amount, currency, get_language())


def component_sentence(result: ComponentResult, *, currency: str, decimals: int = 1, scope: str = "") -> str:
    """One component in words: KPI, actual, curve point, % of target, amount, or why it pays nothing."""
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
    """The stored explanation of one stint's components (strings for Decimals, so nothing is lost)."""
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
