"""Money is Decimal and rounded once, here, to the currency's minor unit."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

# ISO 4217 minor units for the currencies we pay in; anything else defaults to 2.
MINOR_UNITS: dict[str, int] = {"EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "SEK": 2, "NOK": 2, "DKK": 2, "JPY": 0, "KWD": 3}
POINTS = "PTS"


def minor_unit(currency: str) -> int:
    """Decimal places of a currency; points are whole numbers."""
    if currency == POINTS:
        return 0
    return MINOR_UNITS.get(currency.upper(), 2)


@cache
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_unit(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be Decimal, got {type(amount).__name__}")
    return amount.quantize(_quantum(currency), rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal, currency: str) -> str:
    """An amount as people read it: `EUR 1,234.50`, `JPY 1,235`, `1,234 points` (rounded to the minor unit)."""
    rounded = round_money(amount, currency)
    text = f"{rounded:,.{minor_unit(currency)}f}"
    if currency == POINTS:
        return f"{text} point" if rounded == 1 else f"{text} points"
    return f"{currency} {text}"
