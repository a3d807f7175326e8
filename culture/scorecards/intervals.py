"""95 % intervals for sampled (survey) KPIs only. Pure: no ORM.

Counted KPIs (FCR, churn, AHT over all contacts or customers) are not samples and get no interval. For a
survey the method follows what is measured:

- a proportion (CSAT: share of responses scoring 4-5) gets the **Wilson score interval**
  (Wilson 1927; Newcombe 1998, method 3): centre (p + z²/2n) / (1 + z²/n), half-width
  z / (1 + z²/n) · √(p(1 - p)/n + z²/4n²). It stays inside 0-100 % and keeps a width at 12 of 12.
- NPS gets the **standard NPS margin**: each response scores +1, 0 or -1, so the variance is
  p⁺ + p⁻ - (p⁺ - p⁻)² (population form, over n, no n - 1), and the interval is NPS ± z·√(variance / n).
- a mean (CES on 1-7) gets a **Student t-interval**: mean ± t(0.975, n - 1) · s / √n with the sample
  variance s² = (Σx² - (Σx)²/n) / (n - 1). scipy is not a dependency: t comes from `T_975`, the
  two-sided 95 % quantiles to three decimals for 1-30 degrees of freedom and at 40, 60 and 120 (standard
  tables), linear in 1/df between them and 1.960 beyond 120.

All three need only additive sums (sum, sum of squares, n), so teams, departments and the company
get their intervals from pooled raw counts. Intervals are returned unrounded and on the KPI's scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

Z95 = Decimal("1.96")
WILSON, NPS_MARGIN, T_INTERVAL = "wilson", "nps-margin", "t"
METHOD_NAMES = {
    WILSON: "Wilson score interval",
    NPS_MARGIN: "NPS margin (normal)",
    T_INTERVAL: "Student t-interval",
}
# Two-sided 95 % quantiles of Student's t by degrees of freedom.
T_975: dict[int, Decimal] = {
    df: Decimal(t)
    for df, t in {
        1: "12.706",
        2: "4.303",
        3: "3.182",
        4: "2.776",
        5: "2.571",
        6: "2.447",
        7: "2.365",
        8: "2.306",
        9: "2.262",
        10: "2.228",
        11: "2.201",
        12: "2.179",
        13: "2.160",
        14: "2.145",
        15: "2.131",
        16: "2.120",
        17: "2.110",
        18: "2.101",
        19: "2.093",
        20: "2.086",
        21: "2.080",
        22: "2.074",
        23: "2.069",
        24: "2.064",
        25: "2.060",
        26: "2.056",
        27: "2.052",
        28: "2.048",
        29: "2.045",
        30: "2.042",
        40: "2.021",
        60: "2.000",
        120: "1.980",
    }.items()
}


@dataclass(frozen=True)
class Interval:
    low: Decimal
    high: Decimal
    method: str

    def straddles(self, bound: Decimal) -> bool:
        """True when the bound lies strictly inside the interval: the data cannot tell which side it is on."""
        return self.low < bound < self.high


def _sqrt(value: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 28
        return max(value, Decimal(0)).sqrt()


def t_975(df: int) -> Decimal:
    """Student's t quantile for a two-sided 95 % interval with `df` degrees of freedom."""
    if df < 1:
        raise ValueError("a t-interval needs at least one degree of freedom")
    if df in T_975:
        return T_975[df]
    if df > 120:
        # 1/df interpolation towards the normal quantile at infinity.
        return Z95 + (T_975[120] - Z95) * Decimal(120) / Decimal(df)
    below = max(k for k in T_975 if k < df)
    above = min(k for k in T_975 if k > df)
    share = (Decimal(1) / below - Decimal(1) / df) / (Decimal(1) / below - Decimal(1) / above)
    return T_975[below] + (T_975[above] - T_975[below]) * share


def wilson(successes: Decimal, n: Decimal, z: Decimal = Z95) -> Interval | None:
    """Wilson score interval of a proportion (0-1)."""
    if n <= 0:
        return None
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * _sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # At 0 of n (n of n) the bound is exactly 0 (1); say so rather than carry a rounding residue.
    low = Decimal(0) if successes <= 0 else max(centre - half, Decimal(0))
    high = Decimal(1) if successes >= n else min(centre + half, Decimal(1))
    return Interval(low, high, WILSON)


def nps_margin(net: Decimal, squares: Decimal, n: Decimal, z: Decimal = Z95) -> Interval | None:
    """NPS (as -1..1) ± z·√(variance/n) from net = promoters - detractors and squares = promoters + detractors.
    Needs two responses: one response has no spread to estimate."""
    if n < 2:
        return None
    nps = net / n
    variance = squares / n - nps * nps
    half = z * _sqrt(variance / n)
    return Interval(max(nps - half, Decimal(-1)), min(nps + half, Decimal(1)), NPS_MARGIN)


def t_interval(
    total: Decimal, squares: Decimal, n: Decimal, floor: Decimal | None = None, ceiling: Decimal | None = None
) -> Interval | None:
    """Mean ± t·s/√n with the n - 1 sample variance; needs two responses. Clipped to the scale when given."""
    if n < 2:
        return None
    mean = total / n
    variance = (squares - total * mean) / (n - 1)
    half = t_975(int(n) - 1) * _sqrt(variance / n)
    low, high = mean - half, mean + half
    if floor is not None:
        low = max(low, floor)
    if ceiling is not None:
        high = min(high, ceiling)
    return Interval(low, high, T_INTERVAL)


def scaled(interval: Interval | None, scale: Decimal) -> Interval | None:
    """The interval on the KPI's scale (CSAT and NPS are shown x 100)."""
    if interval is None:
        return None
    return Interval(interval.low * scale, interval.high * scale, interval.method)
