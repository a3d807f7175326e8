"""Seeded generator of benchmark data: teams x KPIs x days of measurements, as plain tuples.

The same seed gives the same rows, so every benchmark (imports, scorecards, payouts, reports) and the
plain-SQL baselines it is compared with read identical data.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

MEASUREMENT_COLUMNS = ("team", "kpi", "date", "channel", "value", "numerator", "denominator", "sample_size")


@dataclass(frozen=True)
class BenchShape:
    teams: int = 500
    kpis: int = 20
    days: int = 365
    start: dt.date = dt.date(2025, 1, 1)
    seed: int = 1

    @property
    def rows(self) -> int:
        return self.teams * self.kpis * self.days


def team_slug(index: int) -> str:
    return f"bench-team-{index:04d}"


def kpi_code(index: int) -> str:
    return f"bench_kpi_{index:02d}"


def is_ratio_kpi(index: int) -> bool:
    """Even-numbered bench KPIs are ratios (numerator/denominator), odd ones carry a value and sample size."""
    return index % 2 == 0


def iter_measurement_rows(shape: BenchShape) -> Iterator[tuple[str, str, str, str, str, str, str, str]]:
    """Rows in the import CSV's column order, all as text (empty string = no value)."""
    rng = random.Random(shape.seed)
    for team in range(shape.teams):
        team_bias = rng.uniform(-0.08, 0.08)
        for kpi in range(shape.kpis):
            base = rng.uniform(0.55, 0.9)
            for day in range(shape.days):
                date = shape.start + dt.timedelta(days=day)
                season = 0.04 * math.sin(2 * math.pi * day / 365)
                level = min(max(base + team_bias + season + rng.gauss(0, 0.03), 0.01), 0.99)
                contacts = rng.randint(40, 400)
                if is_ratio_kpi(kpi):
                    numerator = round(contacts * level)
                    yield (
                        team_slug(team),
                        kpi_code(kpi),
                        date.isoformat(),
                        "all",
                        "",
                        str(numerator),
                        str(contacts),
                        "",
                    )
                else:
                    yield (
                        team_slug(team),
                        kpi_code(kpi),
                        date.isoformat(),
                        "all",
                        f"{level * 100:.3f}",
                        "",
                        "",
                        str(contacts),
                    )
