"""Template filters for scorecard figures: values with their KPI's decimals and unit, badges, trend arrows."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html

from core.numbers import fixed
from culture.scorecards.calculations import KpiLine, trend_is_better

register = template.Library()

UNIT_SUFFIX = {"percent": "%", "seconds": " s", "score": "", "currency": "", "count": ""}
STATUS_LABEL = {"green": "On track", "amber": "At risk", "red": "Off track", "neutral": "Not rated"}


@register.filter
def figure(value: Decimal | None, decimals: int = 1) -> str:
    """A number with the KPI's decimals, or an em dash when there is no data."""
    if value is None or value == "":
        return "—"
    return fixed(Decimal(value), int(decimals), grouping=True)


@register.filter
def line_value(line: KpiLine, field: str = "actual") -> str:
    """A line's figure (actual, target, previous...) with its unit."""
    value = getattr(line, field)
    if value is None:
        return "—"
    return f"{figure(value, line.decimals)}{UNIT_SUFFIX.get(line.unit, '')}"


@register.filter
def status_badge(status: str) -> str:
    """A coloured badge with a text label (colour is never the only signal)."""
    status = status or "neutral"
    return format_html('<span class="badge status-{}">{}</span>', status, STATUS_LABEL.get(status, status))


@register.filter
def trend_arrow(line: KpiLine) -> str:
    """▲/▼ with the change, coloured by whether it moved the right way for the KPI."""
    if line.trend is None:
        return "—"
    better = trend_is_better(line)
    arrow = "▲" if line.trend > 0 else "▼" if line.trend < 0 else "▶"
    css = "status-green" if better else "status-red" if better is False else "text-body-secondary"
    words = "better" if better else "worse" if better is False else "no change"
    sign = "+" if line.trend > 0 else ""
    return format_html(
        '<span class="{}" title="{}">{} {}{}</span>', css, words, arrow, sign, figure(line.trend, line.decimals)
    )


@register.filter
def count_status(card, status: str) -> int:
    """How many of a scorecard's KPIs have this status."""
    return card.count(status)


SHORT_NAMES = {
    "nps": "NPS",
    "csat": "CSAT",
    "ces": "CES",
    "fcr": "FCR",
    "aht": "AHT",
    "retention_rate": "Retention",
    "churn_rate": "Churn",
    "self_service_rate": "Self-service",
    "cost_per_contact": "Cost/contact",
    "repeat_purchase_rate": "Repeat",
    "customers_gained": "Gained",
    "customers_lost": "Lost",
}


@register.filter
def short_name(line: KpiLine) -> str:
    """A column-header name for a KPI: an abbreviation for the standard ones, else the name."""
    return SHORT_NAMES.get(line.kpi_code, line.kpi_name)


@register.filter
def bridge_value(bridge, field: str) -> str:
    """A bridge row valued at the value per customer, rounded once (half-up) to cents."""
    value = bridge.value(getattr(bridge, field))
    return "—" if value is None else figure(value, 2)
