"""Line figures: what ordering, filtering and counting many scorecards need of a line, without the rest.

`kpi_line` (calculations.py) builds a whole line; a 500-team table ordered by the composite or a KPI, or a
dashboard counting off-track lines, needs only each line's status, rounded actual, score and weight, by the same
rules on the same inputs (tests/culture/test_scorecard_figures.py holds them equal). Pure: no ORM.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from .calculations import (
    EMPTY_SUMS,
    KpiSpec,
    Sums,
    TargetSpec,
    _weight,
    kpi_actual,
    round_to,
    sample_size,
    score,
    status,
    survey_interval,
)
from .status import Status


def line_status(kpi: KpiSpec, sums: Sums, target: TargetSpec | None) -> Status:
    """The status `kpi_line` gives the KPI's line (the same rule on the same inputs), without the rest of the
    line: lists that need every team's status but few of their lines check this first."""
    if target is None:
        return Status.NEUTRAL
    exact = kpi_actual(kpi, sums)
    if exact is None:
        return Status.NEUTRAL
    # `status` looks at the interval only for a target judged by it: the others skip its square roots.
    interval = survey_interval(kpi, sums) if target.noise_by_interval else None
    return status(exact, target, kpi.direction, sample_size(kpi, sums), interval)


class LineFigures(NamedTuple):
    """What ordering, filtering and showing many scorecards in a table need of a line, as `kpi_line` computes
    it: the status, the rounded actual, the score and the weight (so `composite` runs on them unchanged), and
    the KPI's name, decimals and unit (a table's column headers and cells). A named tuple of plain values:
    10,000 of them are built for a 500-team page, and remembered (pickled) between requests, so they carry no
    sums (a line a page shows whole is built whole, from its team's card)."""

    kpi_code: str
    kpi_name: str
    decimals: int
    unit: str  # with the decimals, what a table's cell needs to show the actual (`line_value`)
    status: str
    actual: Decimal | None
    score: Decimal | None
    weight: Decimal


def line_figures(kpi: KpiSpec, sums: Sums, target: TargetSpec | None) -> LineFigures:
    """The status, rounded actual, score and weight `kpi_line` gives the line (the same rules on the same
    inputs), without the interval's bounds, the trend and the rest: a 500-team table ordered by the composite
    or a KPI builds these for every team and whole lines for its page only."""
    exact = kpi_actual(kpi, sums)
    if exact is None or target is None:
        return LineFigures(
            kpi.code,
            kpi.name,
            kpi.decimals,
            kpi.unit,
            Status.NEUTRAL.value,
            round_to(exact, kpi.decimals),
            None,
            _weight(target),
        )
    interval = survey_interval(kpi, sums) if target.noise_by_interval else None
    return LineFigures(
        kpi.code,
        kpi.name,
        kpi.decimals,
        kpi.unit,
        status(exact, target, kpi.direction, sample_size(kpi, sums), interval).value,
        round_to(exact, kpi.decimals),
        score(exact, target, kpi.direction),
        target.weight,
    )


@lru_cache(maxsize=4096)
def no_data_figures(kpi: KpiSpec, target: TargetSpec | None) -> LineFigures:
    """`line_figures` of a line with no rows this period: the same for every team with this KPI and target, so
    built once (a 500-team page has thousands: KPIs a team does not report)."""
    return line_figures(kpi, EMPTY_SUMS, target)
