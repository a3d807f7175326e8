"""Template filters for scorecard figures: values with their KPI's decimals and unit, badges, trend arrows."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.formatting import format_number
from culture.scorecards.calculations import KpiLine, trend_is_better
from culture.scorecards.status import STATUS_LABELS

register = template.Library()

UNIT_SUFFIX = {"percent": "%", "seconds": " s", "score": "", "currency": "", "count": ""}


@register.filter
def figure(value: Decimal | None, decimals: int = 1) -> str:
    """A number with the KPI's decimals, or an em dash when there is no data."""
    if value is None or value == "":
        return "—"
    return format_number(Decimal(value), int(decimals), get_language())


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
    return format_html('<span class="badge status-{}">{}</span>', status, STATUS_LABELS.get(status, status))


@register.filter
def trend_arrow(line: KpiLine) -> str:
    """▲/▼ with the change, coloured by whether it moved the right way for the KPI."""
    if line.trend is None:
        return "—"
    better = trend_is_better(line)
    arrow = "▲" if line.trend > 0 else "▼" if line.trend < 0 else "▶"
    css = "status-green" if better else "status-red" if better is False else "text-body-secondary"
    words = _("better") if better else _("worse") if better is False else _("no change")
    sign = "+" if line.trend > 0 else ""
    return format_html(
        '<span class="{}" title="{}">{} {}{}</span>', css, words, arrow, sign, figure(line.trend, line.decimals)
    )


@register.filter
def count_status(card, status: str) -> int:
    """How many of a scorecard's KPIs have this status."""
    return card.count(status)


SHORT_NAMES = {
    "nps": _("NPS"),
    "csat": _("CSAT"),
    "ces": _("CES"),
    "fcr": _("FCR"),
    "aht": _("AHT"),
    "retention_rate": _("Retention"),
    "churn_rate": _("Churn"),
    "self_service_rate": _("Self-service"),
    "cost_per_contact": _("Cost/contact"),
    "repeat_purchase_rate": _("Repeat"),
    "customers_gained": _("Gained"),
    "customers_lost": _("Lost"),
}


@register.filter
def short_name(line: KpiLine) -> str:
    """A column-header name for a KPI: an abbreviation for the standard ones, else the name."""
    return str(SHORT_NAMES.get(line.kpi_code, line.kpi_name))


@register.filter
def bridge_value(bridge, field: str) -> str:
    """A bridge row valued at the value per customer, rounded once (half-up) to cents."""
    value = bridge.value(getattr(bridge, field))
    return "—" if value is None else figure(value, 2)
