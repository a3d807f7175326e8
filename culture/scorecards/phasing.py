"""Annual targets phased into months, flat or by a seasonal profile. Pure: no ORM.

How a KPI's months add up decides how a year is split into them (`Arithmetic`, shared with the quarter and
year targets derived from the months in `derivation`):

- `sum` (customers gained): the twelve months add up to the annual figure exactly, split in proportion to
  the profile's weights (flat: equal weights). Rounded to the 4 places a target is stored with by the largest
  remainder, so the months' sum is the annual figure to the last place.
- `mean`, `ratio`, `last` (CSAT, handle time, a level to hold): a level, not a quantity. Flat gives every
  month the annual value; a profile scales it by the month's weight relative to the average weight (a weight
  of 1.2 where the weights average 1 asks for 20 % more), split so the twelve months average the annual value
  exactly.
- `loss_rate` (churn) and `survival_rate` (retention) compound: the year keeps a share (1 - churn) of its
  customers that is the product of the months' shares. Each month keeps (annual share)^(w / sum of weights),
  so the months compound back to the annual rate; the stored 4 places can move that by a rounding step.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from .calculations import Aggregation, KpiSpec

MONTHS = 12
PLACES = Decimal("0.0001")  # a stored target's places (Target.target_value)
_PRECISION = 40


class Arithmetic(StrEnum):
    """How a KPI's monthly figures make a quarter's or a year's."""

    SUM = "sum"
    MEAN = "mean"
    RATIO = "ratio"
    LAST = "last"
    LOSS_RATE = "loss_rate"
    SURVIVAL_RATE = "survival_rate"


# Stock rates (the `churn` and `retention` aggregations: lost, or kept, over the base at the start) compound
# over months rather than average; a user-defined KPI choosing one compounds too. The standard codes are kept
# for catalogues loaded before the stock aggregations, where churn and retention were plain ratios.
COMPOUNDING_AGGREGATIONS: dict[str, Arithmetic] = {
    Aggregation.CHURN: Arithmetic.LOSS_RATE,
    Aggregation.RETENTION: Arithmetic.SURVIVAL_RATE,
}
COMPOUNDING_CODES: dict[str, Arithmetic] = {
    "churn_rate": Arithmetic.LOSS_RATE,
    "retention_rate": Arithmetic.SURVIVAL_RATE,
}
LEVELS = {Arithmetic.MEAN, Arithmetic.RATIO, Arithmetic.LAST}
COMPOUNDING = {Arithmetic.LOSS_RATE, Arithmetic.SURVIVAL_RATE}


def arithmetic_of(kpi: KpiSpec) -> Arithmetic:
    """The arithmetic of a KPI's months: compounding for stock rates, else its aggregation."""
    if kpi.aggregation in COMPOUNDING_AGGREGATIONS:
        return COMPOUNDING_AGGREGATIONS[kpi.aggregation]
    if kpi.code in COMPOUNDING_CODES:
        return COMPOUNDING_CODES[kpi.code]
    return {
        Aggregation.SUM: Arithmetic.SUM,
        Aggregation.MEAN: Arithmetic.MEAN,
        Aggregation.RATIO: Arithmetic.RATIO,
        Aggregation.LAST: Arithmetic.LAST,
    }[Aggregation(kpi.aggregation)]


def profile_problem(weights: Sequence[Decimal]) -> str | None:
    """Why twelve weights are not a seasonal profile (None when they are)."""
    if len(weights) != MONTHS:
        return f"A seasonal profile has {MONTHS} weights, one per month; got {len(weights)}."
    if any(weight < 0 for weight in weights):
        return "A weight cannot be negative."
    if sum(weights, Decimal(0)) <= 0:
        return "At least one weight must be above zero."
    return None


def split_exactly(total: Decimal, weights: Sequence[Decimal], places: Decimal = PLACES) -> list[Decimal]:
    """`total` split in proportion to `weights`, each part on `places`, the parts adding up to `total` exactly.

    Each part is first rounded down; the units left over go one each to the parts with the largest
    remainders (the earlier month on a tie), so no part is more than one unit off its exact share.
    """
    if (problem := _weights_problem(weights)) is not None:
        raise ValueError(problem)
    units = Fraction(total) / Fraction(places)
    if units.denominator != 1:
        raise ValueError(f"{total} has more places than {places}.")
    whole = Fraction(sum(Fraction(w) for w in weights))
    shares = [units * Fraction(w) / whole for w in weights]
    floors = [share.numerator // share.denominator for share in shares]
    left = int(units) - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for index in order[:left]:
        floors[index] += 1
    return [Decimal(units_) * places for units_ in floors]


def phase(
    annual: Decimal, arithmetic: Arithmetic, *, scale: Decimal = Decimal(1), weights: Sequence[Decimal] | None = None
) -> list[Decimal]:
    """The twelve monthly figures of an annual figure (target or threshold), flat when `weights` is None.

    `scale` is the KPI's ratio multiplier (100 for percentages): a churn of 20 (%) is a share of 0.2.
    ValueError for a profile that is not twelve usable weights or a rate that cannot compound (churn of
    100 % or more, retention of 0 or less).
    """
    weights = list(weights) if weights is not None else [Decimal(1)] * MONTHS
    if (problem := profile_problem(weights)) is not None:
        raise ValueError(problem)
    annual = annual.quantize(PLACES, rounding=ROUND_HALF_UP)
    if arithmetic is Arithmetic.SUM:
        return split_exactly(annual, weights)
    if arithmetic in LEVELS:
        return split_exactly(annual * MONTHS, weights)
    return _phase_compounding(annual, arithmetic, scale, weights)


def _phase_compounding(
    annual: Decimal, arithmetic: Arithmetic, scale: Decimal, weights: Sequence[Decimal]
) -> list[Decimal]:
    if arithmetic is Arithmetic.LOSS_RATE:
        kept = 1 - annual / scale
        if not 0 < kept <= 1:
            raise ValueError(f"A churn of {annual} cannot be spread over months: it must be from 0 to below {scale}.")
    else:
        kept = annual / scale
        if kept <= 0:
            raise ValueError(f"A retention of {annual} cannot be spread over months: it must be above 0.")
    whole = sum(weights, Decimal(0))
    months = []
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        for weight in weights:
            month_kept = kept ** (weight / whole) if weight else Decimal(1)
            value = scale * (1 - month_kept) if arithmetic is Arithmetic.LOSS_RATE else scale * month_kept
            months.append(value.quantize(PLACES, rounding=ROUND_HALF_UP))
    return months


def _weights_problem(weights: Sequence[Decimal]) -> str | None:
    if not weights or any(weight < 0 for weight in weights) or sum(weights, Decimal(0)) <= 0:
        return "Weights must be non-negative with a positive sum."
    return None


__all__ = [
    "MONTHS",
    "Arithmetic",
    "arithmetic_of",
    "phase",
    "profile_problem",
    "split_exactly",
]
