"""A component's payout curve with a dot where the actual landed, the same on the statement page and PDF."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core.charts import curve_chart

from .calculations import Curve, curve_position

QUARTER = Decimal("0.25")
HUNDRED = Decimal(100)


def stored_curve(figures: Mapping[str, Any]) -> Curve:
    """A curve from a stored explanation's `curve` figures."""
    return Curve(
        threshold=Decimal(figures["threshold"]),
        target=Decimal(figures["target"]),
        stretch=Decimal(figures["stretch"]),
        threshold_payout_pct=Decimal(figures["threshold_payout_pct"]),
        stretch_payout_pct=Decimal(figures["stretch_payout_pct"]),
        cap_pct=Decimal(figures["cap_pct"]),
        lower_is_better=bool(figures["lower_is_better"]),
    )


def curve_points(curve: Curve, actual: Decimal | None = None) -> list[tuple[Decimal, Decimal]]:
    """The curve's corners in KPI values (x) and payout % (y), from the worst value shown to the best."""
    sign = Decimal(-1) if curve.lower_is_better else Decimal(1)
    threshold, target, stretch = (sign * curve.threshold, sign * curve.target, sign * curve.stretch)
    pad = abs(stretch - threshold) * QUARTER or Decimal(1)
    low, high = threshold - pad, stretch + pad
    if actual is not None:
        low, high = min(low, sign * actual), max(high, sign * actual)
    top = min(curve.stretch_payout_pct, curve.cap_pct)
    corners: list[tuple[Decimal, Decimal]] = [
        (low, Decimal(0)),
        (threshold, Decimal(0)),
        (threshold, curve.threshold_payout_pct),
        (target, HUNDRED),
    ]
    if curve.cap_pct < curve.stretch_payout_pct and stretch > target:
        corners.append((target + (curve.cap_pct - 100) / (curve.stretch_payout_pct - 100) * (stretch - target), top))
    else:
        corners.append((stretch, top))
    corners.append((high, top))
    return [(sign * x, y) for x, y in corners]


def payout_curve_chart(row: Mapping[str, Any]) -> SafeString | None:
    """The chart for a stored component row (None for rows explained before curves were stored)."""
    figures = row.get("curve")
    if not figures:
        return None
    curve = stored_curve(figures)
    actual = Decimal(row["actual"]) if row.get("actual") is not None else None
    dot = (actual, curve_position(curve, actual)[0]) if actual is not None else None
    ticks = [
        (curve.threshold, figures["threshold"]),
        (curve.target, figures["target"]),
        (curve.stretch, figures["stretch"]),
    ]
    title = gettext("%(label)s payout curve: threshold %(threshold)s, target %(target)s, stretch %(stretch)s") % {
        "label": row.get("label", ""),
        **figures,
    }
    if dot is not None:
        title += gettext("; landed at %(actual)s") % {"actual": row.get("figures", {}).get("actual", row["actual"])}
    return curve_chart(
        curve_points(curve, actual),
        title=title,
        dot=dot,
        ticks=ticks,
        y_ticks=sorted({Decimal(0), Decimal(100), min(curve.stretch_payout_pct, curve.cap_pct)}),
    )
