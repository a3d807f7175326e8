"""A KPI's trend over periods, drawn the same on the scorecard pages and in the team scorecard PDF."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core.charts import sparkline, trend_chart

from .calculations import KpiLine

Points = Sequence[tuple[str, Decimal | None]]


def kpi_trend_chart(line: KpiLine, points: Points) -> SafeString:
    """The actual per period (oldest first) with the target line."""
    return trend_chart(
        points,
        title=gettext("%(kpi)s, last %(count)s periods") % {"kpi": line.kpi_name, "count": len(points)},
        target=line.target,
        decimals=line.decimals,
        width=440,
        height=150,
    )


def kpi_sparkline(line: KpiLine, points: Points) -> SafeString:
    return sparkline([value for _code, value in points], title=line.kpi_name, decimals=line.decimals)
