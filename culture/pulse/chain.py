"""The service-profit chain, pure: Pearson's correlation between per-team engagement and a customer KPI, with a
95 % confidence interval by Fisher's z. Stdlib floats (a correlation is a statistic, not money); see
docs/kpi-maths.md "The service-profit chain" for the definitions and the refusals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

Z_95 = 1.96
SMALLEST_N = 4  # Fisher's interval needs n - 3 > 0


class ChainRefused(ValueError):
    """Too little data to show a correlation; the message says why in plain words."""


@dataclass(frozen=True)
class Correlation:
    """Pearson's r between two team series, its 95 % interval and the number of teams (pairs)."""

    r: float
    low: float
    high: float
    n: int


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r of paired values; None when either series does not vary (r is undefined) or n < 2."""
    if len(xs) != len(ys):
        raise ValueError("x and y must pair up")
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = math.fsum(xs) / n, math.fsum(ys) / n
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxx = math.fsum(d * d for d in dx)
    syy = math.fsum(d * d for d in dy)
    scale = math.sqrt(sxx) * math.sqrt(syy)  # apart: the product of two tiny sums must not underflow to 0
    if scale == 0:
        return None
    r = math.fsum(a * b for a, b in zip(dx, dy, strict=True)) / scale
    return max(-1.0, min(1.0, r))  # rounding may step a hair past +-1


def fisher_interval(r: float, n: int, z: float = Z_95) -> tuple[float, float]:
    """tanh(atanh(r) +- z / sqrt(n - 3)); a perfect |r| = 1 has the zero-width interval (r, r)."""
    if n <= 3:
        raise ValueError("Fisher's interval needs at least 4 pairs")
    if abs(r) >= 1.0:
        return r, r
    centre, half = math.atanh(r), z / math.sqrt(n - 3)
    return math.tanh(centre - half), math.tanh(centre + half)


def correlate(xs: Sequence[float], ys: Sequence[float], *, minimum_teams: int) -> Correlation:
    """r, its interval and n, or ChainRefused below `minimum_teams` pairs (never fewer than 4) or without spread."""
    n = len(xs)
    needed = max(minimum_teams, SMALLEST_N)
    if n < needed:
        raise ChainRefused(
            gettext(
                "Only %(n)s teams have both an engagement result and the KPI; at least %(needed)s are needed "
                "before a correlation means anything."
            )
            % {"n": n, "needed": needed}
        )
    r = pearson(xs, ys)
    if r is None:
        raise ChainRefused(gettext("Every team has the same value on one side, so there is no correlation to show."))
    low, high = fisher_interval(r, n)
    return Correlation(r=r, low=low, high=high, n=n)
