"""Figures as people read them: rounded once, half-up (halves away from zero: 2.25 -> 2.3, -12.5 -> -13),
at display. Python's own `format(Decimal, ".2f")` and `Decimal.quantize` without a rounding mode round
half-to-even (2.25 -> 2.2), so every formatter in the project goes through here instead."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache


@cache
def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def half_up(value: Decimal | int | float | str, places: int) -> Decimal:
    """`value` rounded half away from zero to `places` decimals (never -0)."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = number.quantize(_quantum(places), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded == 0 else rounded


def fixed(value: Decimal | int | float | str, places: int, *, grouping: bool = False, sign: bool = False) -> str:
    """`value` rounded half-up to `places` and printed with exactly that many decimals."""
    spec = f"{'+' if sign else ''}{',' if grouping else ''}.{places}f"
    return format(half_up(value, places), spec)
